"""Invite links: the coordinator's page to make, read and revoke them (on the programs
blueprint), and the page anyone opens from a link (public: signed out, it leads to sign-in
or sign-up and back)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.errors import Conflict, DomainError, NotFound
from portal.extensions import db
from portal.programs import invite_links as links
from portal.programs import services as programs
from portal.programs.forms import InviteLinkForm, JoinForm
from portal.programs.models import InviteLink
from portal.programs.views import bp
from portal.viewkit import Confirmation, confirm_page, confirmed, coordinator_required, form_status

join_bp = Blueprint("invite_links", __name__, url_prefix="/programs/join")


def _zone() -> str:
    return current_user.timezone or current_app.config["FLIPSIDE_TIMEZONE"]


@bp.route("/<int:program_id>/links", methods=["GET", "POST"])
def link_list(program_id: int):
    coordinator_required()
    program = programs.program_or_404(program_id)
    form = InviteLinkForm(prefix="link")
    if form.validate_on_submit():
        data = links.LinkData(
            role=form.role.data,
            expires_on=form.expires_on.data,
            zone=_zone(),
            email_domain=form.email_domain.data or "",
            max_uses=form.max_uses.data,
        )
        try:
            link = links.create(program, current_user, data)
        except Conflict as exc:
            flash(exc.message, "error")
        except DomainError as exc:
            getattr(form, exc.field or "role").errors.append(exc.message)
        else:
            flash("Link created. Copy it from the list and share it.", "success")
            return redirect(
                url_for("programs.link_list", program_id=program.id, _anchor=f"link-{link.id}")
            )
    return render_template(
        "programs/links.html",
        program=program,
        form=form,
        rows=[(link, links.state(link), _address(link)) for link in links.links_of(program.id)],
        gone=links.GONE,
    ), form_status(form)


def _address(link: InviteLink) -> str:
    return url_for("invite_links.open_link", token=links.token_for(link), _external=True)


@bp.route("/<int:program_id>/links/<int:link_id>/revoke", methods=["GET", "POST"])
def revoke_link(program_id: int, link_id: int):
    coordinator_required()
    link = db.session.get(InviteLink, link_id)
    if link is None or link.program_id != program_id:
        abort(404)
    back = url_for("programs.link_list", program_id=program_id)
    if link.revoked_at is not None:
        flash("This link was already revoked.", "info")
        return redirect(back)
    if not confirmed():
        return confirm_page(_revoke_confirmation(link, back))
    links.revoke(link)
    flash("The link is revoked: it no longer lets anyone in.", "success")
    return redirect(back)


def _revoke_confirmation(link: InviteLink, back: str) -> Confirmation:
    used = f"{link.uses} {'person' if link.uses == 1 else 'people'}"
    return Confirmation(
        title=f"Revoke this {link.role} link to “{link.program.name}”?",
        button="Revoke the link",
        back=back,
        back_label="Keep the link",
        lost=[
            "The link stops working at once for everyone who has it; it cannot be turned "
            "back on (make a new one instead)."
        ],
        kept=[f"The {used} who joined through it stay in the program."],
    )


# The page behind the link --------------------------------------------------------------------


def _gone(exc: links.LinkGone, link: InviteLink):
    return render_template("programs/join_gone.html", message=exc.message, link=link), 410


@join_bp.route("/<token>", methods=["GET", "POST"])
def open_link(token: str):
    """Signed out: sign in or sign up, then back here. Signed in: join, then answer."""
    try:
        link = links.link_for(token)
        links.check_open(link)
    except NotFound:
        abort(404)
    except links.LinkGone as exc:
        return _gone(exc, link)
    if not current_user.is_authenticated:
        return render_template("programs/join.html", link=link, form=None, here=_here(token))
    if not links.domain_allows(link, current_user.email):
        return render_template("programs/join_refused.html", link=link), 403
    if links.membership(link, current_user) is not None:
        flash("You are already in this program.", "info")
        return redirect(url_for("programs.detail", program_id=link.program_id))
    form = JoinForm()
    if form.validate_on_submit():
        return _join(link)
    return render_template("programs/join.html", link=link, form=form, here=_here(token))


def _join(link: InviteLink):
    try:
        links.join(link, current_user)
    except links.LinkGone as exc:
        return _gone(exc, link)
    except Conflict as exc:
        flash(exc.message, "info")
    else:
        flash(f"You joined “{link.program.name}”. Now say whether you take part.", "success")
    return redirect(url_for("programs.detail", program_id=link.program_id, _anchor="answer-h"))


def _here(token: str) -> str:
    return url_for("invite_links.open_link", token=token)
