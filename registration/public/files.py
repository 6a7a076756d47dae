"""Uploaded files as the public gets them: never run, never shown as a page.

Every response carries the type the content was found to be, `nosniff`, and a policy that
lets the browser run nothing and load nothing (`sandbox`). Documents are downloads with the
uploader's file name; pictures are shown in pages. Stored names are random and never reused,
so pictures may be kept by browsers for a year; a document's address stays when its file is
replaced, so browsers ask again (and get a 304 while it is the same file).
"""

from __future__ import annotations

from flask import Response, abort, request, send_file

from ..services import file_serving, uploads
from . import bp

#: Nothing in a served file may run, load or frame anything.
FILE_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'"


def _send(stored, name: str, *, download: bool):
    path = uploads.path_of(name)
    if path is None or not path.is_file():
        abort(404)
    # The main file's tag is its content's hash; a smaller copy never changes under its name.
    etag = stored.sha256 if name == stored.name else name
    if request.if_none_match.contains(etag):
        response = Response(status=304)  # answered without opening the file
        response.set_etag(etag)
    else:
        response = send_file(
            path,
            mimetype=stored.kind.content_type,
            as_attachment=download,
            download_name=stored.original_name,
            etag=etag,
            conditional=False,
        )
    if download:
        response.cache_control.no_cache = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = 365 * 24 * 3600
        response.cache_control.immutable = True
    headers = response.headers
    headers["Content-Security-Policy"] = FILE_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/faili/<name>")
def stored_file(name: str):
    """A photo or logo (or a smaller copy of one), as shown in pages."""
    stored = file_serving.public_picture(name)
    if stored is None:
        abort(404)
    return _send(stored, name, download=False)


@bp.get("/dokumenti/<id:document_id>")
def document_file(document_id: int):
    """A result document: a download under its uploader's name, at an address that stays."""
    stored = file_serving.public_document_file(document_id)
    if stored is None:
        abort(404)
    return _send(stored, stored.name, download=True)
