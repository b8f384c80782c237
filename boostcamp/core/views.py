from datetime import date

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from boostcamp.core.urls import safe_next_url
from boostcamp.core.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next_url(request.args.get("next")) or url_for("events.list_events"))


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement the EU Web Accessibility Directive asks for."""
    config = current_app.config
    return render_template(
        "core/accessibility.html",
        contact=config["ACCESSIBILITY_CONTACT"],
        checked_on=date.fromisoformat(config["ACCESSIBILITY_CHECKED_ON"]),
    )


@bp.get("/favicon.ico")
def favicon():
    return current_app.send_static_file("favicon.ico")


@bp.get("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}
