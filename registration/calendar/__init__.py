"""Calendars: .ics files per event and per participant, and feeds people subscribe to.

Importing this package installs the SEQUENCE listener (see `sequence.py`); registering `bp`
adds the routes and the template globals the `templates/calendar/_*.html` includes use.
"""

from flask import Blueprint

from . import sequence

bp = Blueprint("calendar", __name__)
sequence.connect()


@bp.record_once
def _template_globals(state) -> None:
    links.init_app(state.app)


from . import links, views  # noqa: E402, F401
