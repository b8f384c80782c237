"""Staff pages: API tokens and the API settings."""

from flask import Blueprint

bp = Blueprint("staff_api", __name__, url_prefix="/staff/api")
