"""Organisers run the public side from the back office: projects, posts, documents and the
organisation's own details; uploads go through the same checks, and everything that goes
public or is taken down is in the audit log."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from registration.extensions import db
from registration.models import AuditAction, AuditEntry, Document, Post, Project, StoredFile
from registration.timeutil import frozen_time

from .. import sample_files as files
from .helpers import log_in

NOW = datetime(2030, 5, 10, 9, 0, tzinfo=UTC)


def actions() -> list[AuditAction]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_project_is_created_with_the_funders_facts_and_published(organiser_client):
    response = organiser_client.post(
        "/admin/projects/new",
        data={
            "title": "Iedzīvotāju stiprināšana par pilsonisko līdzdalību",
            "code": "2021.LV/NVOF/MIC/031/10",
            "funder": "Sabiedrības integrācijas fonds",
            "programme": "NVO fonds",
            "starts_on": "01.02.2021.",
            "ends_on": "2021-11-20",
            "amount": "6 460,64",
            "support_intensity": "100",
            "goal": "Stiprināt **izpratni**.",
            "funding_line": "Finansējums: programma „NVO fonds”",
            "funder_logo": (io.BytesIO(files.a_picture("PNG", size=(800, 300))), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    project = db.session.scalar(sa.select(Project))
    assert str(project.amount) == "6460.64"
    assert project.slug == "iedzivotaju-stiprinasana-par-pilsonisko-lidzdalibu"
    assert project.funder_logo.width == 600
    assert organiser_client.get(f"/projekti/{project.slug}").status_code == 404  # a draft
    organiser_client.post(f"/admin/projects/{project.id}/status", data={"status": "published"})
    page = organiser_client.get(f"/projekti/{project.slug}").get_data(as_text=True)
    assert "6\u00a0460,64\u00a0EUR" in page
    assert actions() == [AuditAction.PROJECT_CREATED, AuditAction.PROJECT_PUBLISHED]


@pytest.mark.parametrize(
    ("amount", "message"),
    [("seši tūkstoši", "Ierakstiet skaitli"), ("-5", "Ierakstiet skaitli")],
)
def test_a_bad_amount_is_explained(organiser_client, amount, message):
    response = organiser_client.post("/admin/projects/new", data={"title": "P", "amount": amount})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == 0


def test_a_post_with_a_photo_is_scheduled_published_and_withdrawn(
    client, organiser, make_project, make_event
):
    project = make_project()
    event = make_event(title="Domnīca Iršos", starts_at=datetime(2030, 6, 1, 7, 0, tzinfo=UTC))
    photo = files.a_picture(size=(1200, 900), exif=files.exif_with_gps())
    organiser_client = client
    with frozen_time(NOW):
        log_in(client, organiser.email)
        response = organiser_client.post(
            "/admin/posts/new",
            data={
                "title": "Aicinām uz domnīcu",
                "published_at": "2030-05-11T09:00",
                "body": "Nāciet!",
                "photo": (io.BytesIO(photo), "IMG_2041.jpg"),
                "photo_alt": "Pagasta nams",
                "project_id": str(project.id),
                "event_ids": [str(event.id)],
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        post = db.session.scalar(sa.select(Post))
        assert post.events == [event] and post.photo.original_name == "IMG_2041.jpg"
        organiser_client.post(f"/admin/posts/{post.id}/publish")
        page = organiser_client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
        assert "Ieplānota" in page
        assert organiser_client.get(f"/jaunumi/{post.slug}").status_code == 404
    with frozen_time(datetime(2030, 5, 11, 6, 0, tzinfo=UTC)):
        client.get("/admin/")  # yesterday's session has ended
        log_in(client, organiser.email)
        assert organiser_client.get(f"/jaunumi/{post.slug}").status_code == 200
        withdrawn = organiser_client.post(f"/admin/posts/{post.id}/unpublish")
        assert withdrawn.status_code == 302, withdrawn.get_data(as_text=True)
        assert organiser_client.get(f"/jaunumi/{post.slug}").status_code == 404
    assert actions() == [
        AuditAction.POST_CREATED,
        AuditAction.POST_PUBLISHED,
        AuditAction.POST_UNPUBLISHED,
    ]


def test_a_photo_without_a_description_is_not_saved(organiser_client):
    response = organiser_client.post(
        "/admin/posts/new",
        data={"title": "Jaunums", "photo": (io.BytesIO(files.a_picture()), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Dažos vārdos aprakstiet fotoattēlu" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile)) == 0


def test_an_invitation_is_prefilled_from_the_event(organiser_client, make_event, make_project):
    event = make_event(title="Seminārs Jaunjelgavā", project=make_project())
    page = organiser_client.get(f"/admin/posts/new?event={event.id}&kind=invitation")
    text = page.get_data(as_text=True)
    assert "Aicinām pieteikties: Seminārs Jaunjelgavā" in text
    assert f"http://localhost/notikumi/{event.slug}" in text
    assert (
        f'value="{event.id}" checked' in text
        or f'checked id="event_ids-0" name="event_ids" type="checkbox" value="{event.id}"' in text
    )
    assert organiser_client.get(f"/admin/posts/new?event={event.id}&kind=dzeja").status_code == 404
    assert "Rakstīt uzaicinājumu" in organiser_client.get(f"/admin/events/{event.id}").get_data(
        as_text=True
    )


def test_documents_are_uploaded_ordered_and_withdrawn(organiser_client, make_project):
    project = make_project()
    for title, data, name in (
        ("Pārskats", files.a_pdf(), "parskats.pdf"),
        ("Prezentācija", files.an_odp(), "prezentacija.odp"),
    ):
        response = organiser_client.post(
            "/admin/documents/new",
            data={"title": title, "project_id": str(project.id), "file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    first, second = db.session.scalars(sa.select(Document).order_by(Document.position)).all()
    organiser_client.post(f"/admin/documents/{second.id}/move", data={"direction": "up"})
    db.session.refresh(first)
    assert first.position == 2
    organiser_client.post(f"/admin/documents/{first.id}/unpublish")
    assert organiser_client.get(f"/dokumenti/{first.id}").status_code == 404
    organiser_client.post(f"/admin/documents/{first.id}/publish")
    download = organiser_client.get(f"/dokumenti/{first.id}")
    assert download.status_code == 200
    download.close()
    assert actions() == [
        AuditAction.DOCUMENT_ADDED,
        AuditAction.DOCUMENT_ADDED,
        AuditAction.DOCUMENT_CHANGED,
        AuditAction.DOCUMENT_UNPUBLISHED,
        AuditAction.DOCUMENT_PUBLISHED,
    ]


def test_a_renamed_program_is_refused_in_words(organiser_client, make_project):
    project = make_project()
    response = organiser_client.post(
        "/admin/documents/new",
        data={
            "title": "Rēķins",
            "project_id": str(project.id),
            "file": (io.BytesIO(files.AN_EXE), "rekins.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Šāda veida datnes netiek pieņemtas" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Document)) == 0


class TestRequestLimits:
    """Limits small enough that the test client builds its requests in memory (above
    500 KB it spools them to a file of its own and leaves that to the garbage collector)."""

    @pytest.fixture
    def app_config(self):
        return {"UPLOAD_MAX_BYTES": 200 * 1024}

    def _upload(self, client, project, size):
        data = files.a_pdf() + b"\n" * size
        return client.post(
            "/admin/documents/new",
            data={
                "title": "Liels",
                "project_id": str(project.id),
                "file": (io.BytesIO(data), "liels.pdf"),
            },
            content_type="multipart/form-data",
        )

    def test_a_file_just_over_the_limit_hears_why(self, organiser_client, make_project):
        response = self._upload(organiser_client, make_project(), 200 * 1024 + 10)
        assert response.status_code == 422
        assert "Datne ir lielāka par 200\u00a0KB" in response.get_data(as_text=True)

    def test_a_far_larger_request_is_stopped_before_it_is_read(
        self, organiser_client, make_project
    ):
        # More than twice the limit: refused from its Content-Length, nothing parsed.
        response = self._upload(organiser_client, make_project(), 450 * 1024)
        assert response.status_code == 413
        assert "Datne ir lielāka par 200\u00a0KB" in response.get_data(as_text=True)

    def test_other_screens_keep_the_small_limit(self, organiser_client):
        response = organiser_client.post("/admin/events/new", data={"title": "x" * (1100 * 1024)})
        assert response.status_code == 413


def test_the_organisations_details_reach_every_page(admin_client, organiser):
    response = admin_client.post(
        "/admin/organisation",
        data={
            "name": "Biedrība „Aizkraukles rajona partnerība”",
            "registration_number": "40008000000",
            "address": "Aizkraukle, Aizkraukles novads",
            "email": "info@partneriba.example",
            "phone": "+371 26 000 000",
            "logo": (io.BytesIO(files.a_picture("PNG", size=(600, 200))), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    home = admin_client.get("/").get_data(as_text=True)
    assert "Biedrība „Aizkraukles rajona partnerība”</a>" in home
    assert "<title>Tuvākie notikumi · Biedrība „Aizkraukles rajona partnerība”</title>" in home
    privacy = admin_client.get("/privatums").get_data(as_text=True)
    assert "Reģistrācijas numurs: 40008000000" in privacy
    assert 'href="mailto:info@partneriba.example"' in privacy
    assert actions()[-1] is AuditAction.ORGANISATION_CHANGED


def test_only_administrators_change_the_organisations_details(organiser_client):
    assert organiser_client.get("/admin/organisation").status_code == 403
