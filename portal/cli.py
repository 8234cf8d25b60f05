"""Command-line tasks: `flask --app wsgi init-db | create-user | seed-demo`."""

from __future__ import annotations

import json
from collections.abc import Callable

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from portal import backup, demo
from portal.accounts import services as users
from portal.errors import DomainError

SETUP_KEY = "flipside_setup_steps"


def register_setup(app: Flask, stage: str, step: Callable[[], None], order: int = 50) -> None:
    """Let an area add a step to `init-db` (stage "init") or `seed-demo` (stage "demo")."""
    app.extensions.setdefault(SETUP_KEY, []).append((stage, order, step))


def run_setup(stage: str) -> None:
    steps = [s for s in current_app.extensions.get(SETUP_KEY, []) if s[0] == stage]
    for _stage, _order, step in sorted(steps, key=lambda s: s[1]):
        step()


@click.command("init-db")
def init_db_command() -> None:
    """Create or upgrade the database schema and the built-in data (safe to run again)."""
    upgrade()
    run_setup("init")
    analyze()
    click.echo("Database is up to date.")


def analyze() -> None:
    """Refresh the query planner's statistics (see `refresh_statistics`)."""
    from portal.database import refresh_statistics
    from portal.extensions import db

    with db.engine.begin() as connection:
        refresh_statistics(connection)


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Add demo people, lessons and tasks (safe to run again; adds what is missing)."""
    run_setup("init")
    run_setup("demo")
    analyze()
    click.echo(f"Demo data ready. Sign in as any demo person with password {demo.PASSWORD!r}.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--job-title", default="")
@click.option("--seniority", type=click.IntRange(1, 10), default=1, show_default=True)
@click.option("--coordinator", is_flag=True, help="Can run programs and edit topics.")
@click.password_option(help="Asked for when not given.", prompt=True)
def create_user_command(email, name, job_title, seniority, coordinator, password) -> None:
    """Create a local account (the password is prompted for, never echoed).

    Local accounts keep password sign-in when FLIPSIDE_SSO_ONLY=1: the way in for an
    administrator when the identity provider is down.
    """
    if len(password) < 8:
        raise click.BadParameter("use at least 8 characters", param_hint="password")
    try:
        user = users.create_user(
            email,
            name,
            password,
            job_title=job_title,
            seniority=seniority,
            coordinator=coordinator,
            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
            local=True,  # made on the server: keeps its password under FLIPSIDE_SSO_ONLY
        )
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    role = "coordinator" if user.is_coordinator else "member"
    click.echo(f"Created {role} {user.name} <{user.email}>.")


@click.command("export")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default="-",
    show_default=True,
    help="File to write; - for standard output.",
)
def export_command(output: str) -> None:
    """Write all data as one JSON document (a backup)."""
    with click.open_file(output, "w", encoding="utf-8") as out:
        out.write(backup.dumps(backup.export_data()))
    if output != "-":
        click.echo(f"Backup written to {output}.", err=True)


@click.command("import")
@click.argument("source", type=click.File("r", encoding="utf-8"))
def import_command(source) -> None:
    """Read a backup made by `export` into an empty, freshly created database."""
    try:
        written = backup.import_data(json.load(source))
    except (DomainError, ValueError) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from exc
    analyze()
    click.echo(f"Imported {sum(written.values())} rows into {len(written)} tables.")


def init_app(app: Flask) -> None:
    for command in (
        init_db_command,
        seed_demo_command,
        create_user_command,
        export_command,
        import_command,
    ):
        app.cli.add_command(command)
    register_setup(app, "demo", demo.seed_people, order=10)
    register_setup(app, "demo", demo.seed_people_import, order=12)
    register_setup(app, "demo", demo.seed_program, order=40)
    register_setup(app, "demo", demo.seed_pilot, order=45)
