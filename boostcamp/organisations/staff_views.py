"""Staff pages: organisations and their members."""

from flask import Blueprint

bp = Blueprint("staff_orgs", __name__, url_prefix="/staff/organisations")
