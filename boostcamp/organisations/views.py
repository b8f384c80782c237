"""Public pages of an organisation (a partner platform's events)."""

from flask import Blueprint

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
