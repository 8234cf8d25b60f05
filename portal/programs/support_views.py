"""Support pages: ask the program's coordinators for help; a request and its conversation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.accounts import access as accounts_access
from portal.accounts.models import Mentorship
from portal.errors import DomainError
from portal.extensions import db
from portal.programs import access, support
from portal.programs.forms import ResolveForm, SupportForm
from portal.viewkit import flash_form_errors, form_status, signed_in_only

bp = Blueprint("support", __name__)
signed_in_only(bp)


@bp.route("/mentorships/<int:mentorship_id>/support", methods=["GET", "POST"])
def ask(mentorship_id: int):
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None or not accounts_access.is_party(current_user, mentorship):
        abort(404)
    program = support.program_of(mentorship)
    coordinators = access.program_coordinators(program) if program else []
    form = SupportForm() if coordinators else None
    if form is not None and form.validate_on_submit():
        try:
            request = support.ask(current_user, mentorship, form.reason.data, form.body.data)
        except DomainError as exc:
            if exc.field not in ("body", "reason"):
                raise
            form[exc.field].errors.append(exc.message)
        else:
            flash(f"Sent to {coordinators[0].name}. You will hear back here.", "success")
            return redirect(url_for("support.request_page", request_id=request.id))
    return render_template(
        "programs/support_ask.html",
        m=mentorship,
        other=mentorship.other(current_user.id),
        program=program,
        coordinators=coordinators,
        form=form,
    ), form_status(form)


def _request_or_404(request_id: int):
    request = support.request_page(request_id)
    if request is None or current_user.id not in {p.id for p in access.support_people(request)}:
        abort(404)
    return request


@bp.get("/support/<int:request_id>")
def request_page(request_id: int):
    request = _request_or_404(request_id)
    return render_template(
        "programs/support_request.html",
        r=request,
        can_resolve=access.can_resolve(current_user, request),
    )


@bp.post("/support/<int:request_id>/resolve")
def resolve(request_id: int):
    request = _request_or_404(request_id)
    if not access.can_resolve(current_user, request):
        abort(403)
    form = ResolveForm()
    if form.validate_on_submit():
        support.resolve(current_user, request)
        flash(
            f"Marked as resolved. If {request.requester.name} writes again, it opens again.",
            "success",
        )
    else:
        flash_form_errors(form)
    return redirect(url_for("support.request_page", request_id=request.id))
