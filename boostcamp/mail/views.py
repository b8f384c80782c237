"""Staff pages: the outbox. Centre staff only — partners never see other people's mail."""

import base64

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from boostcamp.core.db import paginate
from boostcamp.core.forms import refusal_flashed
from boostcamp.core.policy import Action, require
from boostcamp.core.web import missing_is_404
from boostcamp.mail import services
from boostcamp.mail.forms import OutboxFilterForm
from boostcamp.mail.models import OutboxMessage

bp = Blueprint("staff_mail", __name__, url_prefix="/staff/outbox")

PER_PAGE = 30
# The mail's own HTML, framed by the detail page: no script, no request leaves the page,
# its origin is unique (sandbox) and only our own page may frame it.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; sandbox"
)


def _message(message_id: int) -> OutboxMessage:
    require(Action.MANAGE_ALL)
    with missing_is_404():
        return services.get_message(message_id)


@bp.get("/")
@login_required
def list_messages():
    require(Action.MANAGE_ALL)
    form = OutboxFilterForm(formdata=request.args)
    form.set_status_choices(services.status_counts())
    search = form.q.data if form.validate() else None
    page = paginate(
        services.outbox_query(form.chosen_status, search),
        page=request.args.get("page"), per_page=PER_PAGE,
    )  # fmt: skip
    return render_template(
        "staff/outbox/list.html",
        page=page,
        form=form,
        mail_server=current_app.config.get("MAIL_SERVER"),
    )


@bp.get("/<int:message_id>")
@login_required
def show_message(message_id: int):
    message = _message(message_id)
    return render_template(
        "staff/outbox/show.html",
        message=message,
        links=services.links_in(message.body_text or ""),
        resendable=message.status in services.RESENDABLE,
        sender=current_app.config.get("MAIL_DEFAULT_SENDER"),
    )


@bp.get("/<int:message_id>/preview")
@login_required
def preview_message(message_id: int):
    message = _message(message_id)
    if not message.body_html:
        abort(404)
    html = message.body_html
    for a in message.attachments:  # inline images (cid:) as the mail client shows them
        if a.content_type.startswith("image/") and f"cid:{a.filename}" in html:
            data = base64.b64encode(a.content).decode("ascii")
            html = html.replace(f"cid:{a.filename}", f"data:{a.content_type};base64,{data}")
    response = make_response(html)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response


@bp.post("/<int:message_id>/resend")
@login_required
def resend_message(message_id: int):
    message = _message(message_id)
    with refusal_flashed():
        services.resend(message)
        flash(_("The mail to %(to)s is queued again.", to=message.to_address), "success")
    return redirect(url_for(".show_message", message_id=message_id))
