"""Uploaded files reach people inert: the right type, nosniff, a policy that runs nothing."""

from __future__ import annotations

import io

from registration.services import documents, posts, unit_of_work, uploads
from registration.services.documents import DocumentDetails

from .. import sample_files as files


def _add(project, data, name, title="Pārskats"):
    details = DocumentDetails(title=title, project_id=project.id)
    return documents.add_document(details, uploads.Upload(name, io.BytesIO(data)), actor=None)


def _inert(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    response.close()


def test_a_document_downloads_under_its_uploaders_name(client, make_project):
    document = _add(make_project(), files.a_pdf(), "Pārskats par NVO.pdf")
    response = client.get(f"/dokumenti/{document.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''P%C4%81rskats%20par%20NVO.pdf" in disposition
    _inert(response)
    again = client.get(
        f"/dokumenti/{document.id}", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_office_documents_have_their_own_types(client, make_project):
    project = make_project()
    for data, name, mimetype in (
        (
            files.a_docx(),
            "a.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (files.an_ods(), "a.ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ):
        response = client.get(f"/dokumenti/{_add(project, data, name).id}")
        assert response.mimetype == mimetype
        _inert(response)


def test_replacing_a_file_keeps_the_address(client, make_project):
    document = _add(make_project(), files.a_pdf("Pirmais"), "v1.pdf")
    old = document.file.name
    documents.replace_file(
        document.id, uploads.Upload("v2.docx", io.BytesIO(files.a_docx())), actor=None
    )
    response = client.get(f"/dokumenti/{document.id}")
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "v2.docx" in response.headers["Content-Disposition"]
    response.close()
    assert not (uploads.folder() / old).exists()


def test_withdrawn_documents_and_drafts_projects_files_are_not_served(client, make_project):
    document = _add(make_project(), files.a_pdf(), "a.pdf")
    documents.set_published(document.id, False, actor=None)
    assert client.get(f"/dokumenti/{document.id}").status_code == 404
    # Nor by the stored name, which only pictures shown on pages answer to.
    assert client.get(f"/faili/{document.file.name}").status_code == 404


def test_pictures_are_served_for_pages_and_kept_by_browsers(client, make_post):
    with unit_of_work():
        photo = uploads.store(
            uploads.Upload("IMG_1.jpg", io.BytesIO(files.a_picture(size=(1000, 700)))),
            uploads.Purpose.PHOTO,
        )
    make_post(photo=photo, photo_alt="Dalībnieki")
    for name in photo.all_names:
        response = client.get(f"/faili/{name}")
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers["Content-Disposition"].startswith("inline")
        _inert(response)
    for name in (
        "../secret_key",
        "registration.sqlite3",
        photo.stem + "-123.jpg",
        "x" * 32 + ".jpg",
    ):
        assert client.get(f"/faili/{name}").status_code == 404
    assert posts.latest(1)[0].photo.id == photo.id
