"""/notifications: the list, opening one, mark all as read, preferences and unsubscribe."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from portal.database import writes_from_here
from portal.extensions import csrf, db
from portal.notifications import services
from portal.notifications.forms import MarkAllReadForm, UnsubscribeForm, preferences_form
from portal.viewkit import form_status

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def notification_list():
    return render_template(
        "notifications/list.html",
        notifications=services.recent(current_user.id),
        form=MarkAllReadForm(),
    )


@bp.get("/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Opening a notification marks it read and leads to the thing it is about."""
    notification = services.own_notification(current_user.id, notification_id)
    if notification is None:
        abort(404)
    writes_from_here(db.session)
    services.mark_read(notification)
    return redirect(notification.link)


@bp.post("/read")
@login_required
def mark_all_read():
    if MarkAllReadForm().validate_on_submit():
        count = services.mark_all_read(current_user.id)
        flash(f"Marked {count} notification{'s' if count != 1 else ''} as read.", "success")
    return redirect(url_for("notifications.notification_list"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    current = services.preferences(current_user.id)
    form = preferences_form(current, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        for kind in services.KINDS:
            services.set_preference(current_user.id, kind, form[kind].data)
        db.session.commit()
        flash("Your notification preferences are saved.", "success")
        return redirect(url_for("notifications.preferences"))
    fields = [form[kind] for kind in services.KINDS]
    return render_template(
        "notifications/preferences.html",
        form=form,
        fields=fields,
        digest_hour=current_app.config["FLIPSIDE_DIGEST_HOUR"],
    ), form_status(form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authority; mail clients post RFC 8058's one click
def unsubscribe(token: str):
    """Stop one kind of email for the person the link was sent to, without signing in.

    GET asks (a mail scanner following links must not unsubscribe anyone); POST, from the
    button or from the mail client's one-click header, does it and changes nothing else."""
    found = services.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user_id, kind = found
    label = services.KINDS[kind]
    if request.method == "POST":
        services.set_preference(user_id, kind, "portal")
        db.session.commit()
        return render_template("notifications/unsubscribed.html", label=label)
    return render_template("notifications/unsubscribe.html", label=label, form=UnsubscribeForm())
