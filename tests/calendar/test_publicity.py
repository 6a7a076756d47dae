"""Calendar files of a project's events carry the funder's publicity: the funding line in
the description and the logo as an RFC 7986 IMAGE."""

from __future__ import annotations

import io

import vobject

from registration.calendar import ics
from registration.extensions import db
from registration.services import projects, unit_of_work, uploads

from .. import sample_files as files


def _event_with_publicity(make_event, make_project):
    project = make_project()
    with unit_of_work():
        project = db.session.merge(project)
        project.funder_logo = uploads.store(
            uploads.Upload("logo.png", io.BytesIO(files.a_picture("PNG", size=(500, 200)))),
            uploads.Purpose.LOGO,
        )
    return make_event(project=project), project


def test_the_event_file_carries_the_funding_line_and_logo(client, make_event, make_project):
    event, project = _event_with_publicity(make_event, make_project)
    response = client.get(f"/kalendars/notikums/{event.id}.ics")
    calendar = vobject.readOne(response.get_data(as_text=True))
    assert calendar.vevent.description.value.endswith(project.funding_line)
    image = calendar.vevent.contents["image"][0]
    assert image.value == f"http://localhost/faili/{project.funder_logo.rendition_name(240)}"
    assert image.params["DISPLAY"] == ["BADGE"]
    feed = vobject.readOne(client.get("/kalendars/visi.ics").get_data(as_text=True))
    assert project.funding_line in feed.vevent.description.value


def test_both_writers_write_the_logo_alike(app, make_event, make_project):
    event, _ = _event_with_publicity(make_event, make_project)
    vevent = ics.public_vevent(event)
    assert vevent.image
    by_icalendar = [str(line) for line in vevent.component().content_lines() if line]
    assert vevent.content_lines() == by_icalendar


def test_a_new_funding_line_changes_the_files_etag(client, make_event, make_project):
    event, project = _event_with_publicity(make_event, make_project)
    first = client.get(f"/kalendars/notikums/{event.id}.ics").headers["ETag"]
    details = projects.details_of(project)
    details.funding_line = "Finansējums: cita programma"
    projects.update_project(project.id, details, actor=None)
    response = client.get(f"/kalendars/notikums/{event.id}.ics", headers={"If-None-Match": first})
    assert response.status_code == 200
    assert "cita programma" in response.get_data(as_text=True)
