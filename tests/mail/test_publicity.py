"""Every email about a project's event carries the funder's publicity, and the sender is the
organisation as the back office names it."""

from __future__ import annotations

import io

from registration.mail.sender import send_pending
from registration.services import organisation, projects, uploads
from registration.services.organisation import OrganisationChange

from .. import sample_files as files
from .helpers import calendar_of, html_of, sign_up, text_of


def test_the_confirmation_carries_the_funding_line_logo_and_the_organisations_name(
    app, smtp_server, make_event, make_project
):
    organisation.save(
        OrganisationChange(name="Biedrība „Aizkraukles rajona partnerība”"), actor=None
    )
    project = make_project()
    logo = uploads.Upload("nvo-fonds.png", io.BytesIO(files.a_picture("PNG", size=(480, 160))))
    projects.update_project(project.id, projects.details_of(project), funder_logo=logo, actor=None)
    event = make_event(project=project)
    sign_up(event)
    send_pending()
    [received] = smtp_server.received
    message = received.message
    assert "Aizkraukles rajona partnerība" in message["From"]
    assert project.funding_line in text_of(message)
    html = html_of(message)
    assert project.funding_line in html
    assert 'src="http://localhost/faili/' in html and "-240.png" in html
    calendar, _ = calendar_of(message)
    assert project.funding_line in calendar.vevent.description.value
