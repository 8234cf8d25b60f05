"""The people directory (`/people`) and the coordinators' import (`/people/import`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.accounts import access, directory, importing
from portal.accounts import people_import as parser
from portal.accounts.forms import ConfirmImportForm, ImportForm
from portal.errors import Conflict, DomainError, NotFound
from portal.topics import all_topics
from portal.viewkit import form_status, signed_in_only

bp = Blueprint("people", __name__, url_prefix="/people")
signed_in_only(bp)

# The request may be a little larger than the file: the form's other fields and boundaries.
UPLOAD_LIMIT = parser.MAX_BYTES + 64 * 1024
TOO_LARGE = (
    "The file is larger than {mb} MB ({rows:,} people at most). Split it into smaller files "
    "and import them one after the other."
)


@bp.route("")
def directory_page():
    if not access.can_browse_people(current_user):
        abort(403)
    topics = all_topics()
    slugs = {t.slug for t in topics}
    q = (request.args.get("q") or "").strip()[:200]
    teaches = request.args.get("teaches") if request.args.get("teaches") in slugs else None
    learns = request.args.get("learns") if request.args.get("learns") in slugs else None
    found = directory.search(
        q, teaches=teaches, learns=learns, page=request.args.get("page", 1, type=int)
    )
    return render_template(
        "people/directory.html", found=found, q=q, teaches=teaches, learns=learns, topics=topics
    )


def _coordinator() -> None:
    if not access.can_import_people(current_user):
        abort(403)


@bp.url_value_preprocessor
def _upload_limit(endpoint, _values) -> None:
    """The upload may be larger than other forms (MAX_CONTENT_LENGTH). Set before any
    before_request reads the body (the CSRF check does): URL preprocessors run first."""
    if endpoint == "people.import_upload":
        request.max_content_length = UPLOAD_LIMIT


@bp.errorhandler(413)
def _too_large(_exc):
    """A file over the limit is refused from its Content-Length, before it is read."""
    form = ImportForm(formdata=None)
    form.file.errors = [TOO_LARGE.format(mb=parser.MAX_BYTES // 1_048_576, rows=parser.MAX_ROWS)]
    return render_template("people/import.html", form=form), 413


@bp.route("/import", methods=["GET", "POST"])
def import_upload():
    """Upload a file; nothing is imported yet: the preview comes next."""
    _coordinator()
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            kept, _plan = importing.upload(
                current_user, upload.filename or "", upload.read(parser.MAX_BYTES + 1)
            )
        except DomainError as exc:
            form.file.errors.append(exc.message)
        else:
            return redirect(url_for("people.import_preview", import_id=kept.id))
    return render_template("people/import.html", form=form), form_status(form)


@bp.route("/import/<int:import_id>", methods=["GET", "POST"])
def import_preview(import_id: int):
    """Every row's outcome; the button imports exactly this plan, or says it changed."""
    _coordinator()
    try:
        kept = importing.uploaded(current_user, import_id)
    except NotFound:
        abort(404)
    form = ConfirmImportForm()
    status = 200
    if kept.applied_at is None and form.validate_on_submit():
        try:
            done = importing.apply(current_user, import_id, form.digest.data)
        except Conflict as exc:
            flash(exc.message, "error")
            status = 409
        else:
            flash(_imported(done), "success")
            return redirect(url_for("people.import_preview", import_id=import_id))
    plan = importing.plan_for(kept.content)
    form.digest.data = parser.digest(plan)
    return render_template(
        "people/preview.html",
        kept=kept,
        plan=plan,
        form=form,
        kinds=(parser.NEW, parser.UPDATED, parser.UNCHANGED, parser.ERROR),
        topic_names={t.id: t.name for t in all_topics()},
    ), status


def _imported(plan: parser.Plan) -> str:
    new, updated = plan.count(parser.NEW), plan.count(parser.UPDATED)
    return (
        f"Imported: {new} new account{'s' if new != 1 else ''} (each gets an email to choose "
        f"a password), {updated} updated, {plan.count(parser.UNCHANGED)} unchanged."
    )
