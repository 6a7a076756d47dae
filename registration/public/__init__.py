"""What residents see: upcoming events, event pages and sign-up."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import manage, views  # noqa: E402, F401
