"""What residents see: upcoming events, event pages and sign-up; news, projects and their
results; feeds, the embeddable list and the read-only API for other sites."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import api, discovery, embed, feedback, files, manage, news, projects, views  # noqa: E402, F401
