"""One log line per request: its id, the address, the request, the status and the time;
a private link's token never reaches the log."""

from __future__ import annotations

import re

from registration.extensions import db
from registration.services import tokens

from ..factories import make_registration

LINE = re.compile(r'^([0-9a-f]{12}) (\S+) "(\w+) (\S+)" (\d{3}) (\d+)ms$')


def access_lines(caplog) -> list[re.Match]:
    return [
        LINE.match(record.getMessage())
        for record in caplog.records
        if record.name == "registration.access"
    ]


def test_each_request_is_one_line_with_the_id_the_visitor_got(client, caplog):
    caplog.set_level("INFO")
    first = client.get("/")
    second = client.get("/nav-tadas-lapas")
    lines = access_lines(caplog)
    assert [(m[1], m[3], m[4], m[5]) for m in lines] == [
        (first.headers["X-Request-Id"], "GET", "/", "200"),
        (second.headers["X-Request-Id"], "GET", "/nav-tadas-lapas", "404"),
    ]
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]


def test_a_private_link_is_logged_without_its_token(client, caplog, make_event):
    registration = make_registration(make_event(), commit=False)
    token = tokens.assign_manage_token(registration)
    db.session.commit()
    caplog.set_level("INFO")
    assert client.get(f"/pieteikums/{token}").status_code == 200
    [line] = access_lines(caplog)
    assert line[4] == "/pieteikums/…"
    assert token not in caplog.text
