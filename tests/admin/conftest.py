"""Accounts and logged-in clients for the back-office tests."""

from __future__ import annotations

import pytest

from registration.extensions import db
from registration.mail import outbox
from registration.models import (
    Document,
    FileKind,
    Organiser,
    OrganiserRole,
    OutboxMessage,
    OutboxState,
    Post,
    Project,
    ProjectStatus,
    Registration,
    StoredFile,
)

PASSWORD = "garš-un-drošs-parole-42"


def make_organiser(email: str, role: OrganiserRole = OrganiserRole.ORGANISER) -> Organiser:
    organiser = Organiser(email=email, role=role, name=email.split("@")[0])
    organiser.set_password(PASSWORD)
    db.session.add(organiser)
    db.session.commit()
    return organiser


def log_in(client, email: str, password: str = PASSWORD):
    return client.post("/admin/login", data={"email": email, "password": password})


@pytest.fixture
def organiser(app) -> Organiser:
    return make_organiser("ilze@partneriba.example")


@pytest.fixture
def admin(app) -> Organiser:
    return make_organiser("valdis@partneriba.example", OrganiserRole.ADMIN)


@pytest.fixture
def organiser_client(client, organiser):
    response = log_in(client, organiser.email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def admin_client(client, admin):
    response = log_in(client, admin.email)
    assert response.status_code == 302
    return client


def make_failed_message(registration: Registration) -> OutboxMessage:
    """An organiser's message to `registration` that the mail server refused (committed)."""
    message = outbox.queue(
        kind="participant_message",
        recipient=registration.email,
        subject="Par domnīcu",
        text="Sveiki!",
        registration=registration,
        event=registration.event,
    )
    message.state = OutboxState.FAILED
    db.session.commit()
    return message


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
