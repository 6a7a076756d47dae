"""What back-office tests share: logging in, the event form as a browser posts it, and
one of each public item (project, post, document) for the routes that name them."""

from __future__ import annotations

from datetime import timedelta

from registration.extensions import db
from registration.models import Document, FileKind, Post, Project, ProjectStatus, StoredFile
from registration.timeutil import to_riga
from tests.factories import PASSWORD, at_riga


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/admin/login", data={"email": email, "password": password})


def local(moment) -> str:
    """A moment as the form's date-time box holds it (Riga time)."""
    return to_riga(moment).strftime("%Y-%m-%dT%H:%M")


def event_form(**overrides) -> dict:
    """The new-event form filled in: a think tank 20 days from today at 10:00 Riga time.

    A value of None leaves the field out.
    """
    start = at_riga(20, 10)
    data = {
        "title": "NVO domnīca Iršos",
        "kind": "think_tank",
        "project_id": "",
        "summary": "Sarunas par biedrību darbu.",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=3)),
        "venue_name": "Iršu pagasta saiešanas nams",
        "place": "Iršu pagasts",
        "capacity": "20",
        "has_waiting_list": "y",
        "reminder_hours": "24",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(event, **overrides) -> dict:
    """The edit form of `event` as it is, with `overrides`."""
    values = {
        "title": event.title,
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
        "capacity": str(event.capacity),
        "venue_name": event.venue_name,
        "place": event.place,
    }
    return event_form(**{**values, **overrides})


def make_public_content(event) -> tuple[Project, Post, Document]:
    """A project with a post about `event` and a document (its file row only), committed."""
    project = Project(slug="projekts", title="Projekts", status=ProjectStatus.PUBLISHED)
    event.project = project
    post = Post(slug="jaunums", title="Jaunums", body="Teksts.", project=project, events=[event])
    stored = StoredFile(
        name="0" * 32 + ".pdf", kind=FileKind.PDF, original_name="a.pdf", size=1, sha256="0" * 64
    )
    document = Document(project=project, title="Pārskats", file=stored)
    db.session.add_all([project, post, document])
    db.session.commit()
    return project, post, document
