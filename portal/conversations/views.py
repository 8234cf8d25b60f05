"""Comment routes shared by every kind of subject: post, edit, delete; and the template
helper that shows a thread on its area's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_login import current_user

from portal.conversations import access, services
from portal.conversations.forms import CommentForm, EditCommentForm
from portal.conversations.subjects import lookup
from portal.errors import Conflict, DomainError, NotFound
from portal.viewkit import Confirmation, confirm_page, confirmed, form_status, signed_in_only

bp = Blueprint("conversations", __name__)
signed_in_only(bp)

# The thread's form shares its page with the area's own forms: its ids are its own.
PREFIX = "comment"


def conversation(kind: str, subject_id: int, heading: str = "Conversation") -> dict | None:
    """What `conversations/_thread.html` shows, for a participant; None for anyone else."""
    found = lookup(kind, subject_id)
    if not access.can_read(current_user, found):
        return None
    page = services.thread_page(
        kind, subject_id, request.args.get("comments", type=int), viewer=current_user
    )
    return {
        "thread": page,
        "found": found,
        "heading": heading,
        "others": [p for p in found.people if p.id != current_user.id],
        "form": CommentForm(prefix=PREFIX) if found.writable else None,
        "action": f"/conversations/{kind}/{subject_id}",
    }


def _readable(kind: str, subject_id: int):
    found = lookup(kind, subject_id)
    if not access.can_read(current_user, found):
        abort(404)
    return found


@bp.post("/conversations/<kind>/<int:subject_id>")
def post_comment(kind: str, subject_id: int):
    found = _readable(kind, subject_id)
    if not found.writable:
        abort(403)
    form = CommentForm(prefix=PREFIX)
    if form.validate_on_submit():
        try:
            comment = services.post(current_user, kind, subject_id, form.body.data)
        except DomainError as exc:
            if exc.field != "body":
                raise
            form.body.errors.append(exc.message)
        else:
            flash("Message sent.", "success")
            return redirect(f"{found.path}#comment-{comment.id}")
    return render_template(
        "conversations/write.html", form=form, found=found, action=request.path
    ), form_status(form)


def _own_comment(comment_id: int):
    """The comment, if the viewer may read its thread (else 404); 403 unless it is theirs."""
    try:
        comment, found = services.comment_and_subject(comment_id)
    except NotFound:
        abort(404)
    if not access.can_read(current_user, found):
        abort(404)
    if comment.author_id != current_user.id or comment.is_deleted:
        abort(403)
    return comment, found


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(comment_id: int):
    comment, found = _own_comment(comment_id)
    back = f"{found.path}#comment-{comment.id}"
    if request.method == "GET" and not access.can_edit(current_user, comment):
        flash("The 10 minutes to edit that comment have passed. You can still delete it.", "error")
        return redirect(back)
    form = EditCommentForm(body=comment.body)
    status = 200
    if form.validate_on_submit():
        try:
            services.edit(current_user, comment, form.body.data)
        except Conflict as exc:  # the ten minutes passed while they wrote: the text stays
            form.body.errors.append(exc.message)
            status = 409
        except DomainError as exc:
            if exc.field != "body":
                raise
            form.body.errors.append(exc.message)
        else:
            flash("Your comment is changed.", "success")
            return redirect(back)
    return render_template(
        "conversations/edit.html",
        form=form,
        found=found,
        comment=comment,
        deadline=access.edit_deadline(comment),
        back=back,
    ), status if status != 200 else form_status(form)


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
def delete_comment(comment_id: int):
    """Ask first; only the confirmed POST deletes."""
    comment, found = _own_comment(comment_id)
    back = f"{found.path}#comment-{comment.id}"
    if not confirmed():
        return confirm_page(
            Confirmation(
                title="Delete your comment?",
                button="Delete comment",
                back=back,
                back_label="Keep the comment",
                lost=["Its text, for everyone in the conversation. This cannot be undone."],
                kept=[
                    "Its place in the conversation, marked as deleted, so that the replies "
                    "around it still make sense."
                ],
            )
        )
    services.delete(current_user, comment)
    flash("Your comment is deleted.", "success")
    return redirect(back)
