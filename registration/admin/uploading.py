"""Screens that take files: only they accept requests as large as an upload.

Every other request keeps the small MAX_CONTENT_LENGTH. The limit is raised before the
CSRF check reads the form (URL value preprocessors run before `before_request`), to twice
the upload limit, so that a file just over it reaches the service and hears why in words.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import render_error
from ..i18n import file_size
from ..services import uploads
from . import bp

#: The screens with a file field.
UPLOAD_ENDPOINTS = frozenset(
    {
        "admin.project_new",
        "admin.project_edit",
        "admin.post_new",
        "admin.post_edit",
        "admin.document_new",
        "admin.document_replace",
        "admin.organisation_details",
    }
)


@bp.url_value_preprocessor
def allow_large_uploads(endpoint: str | None, values: dict | None) -> None:
    if endpoint in UPLOAD_ENDPOINTS and request.method == "POST":
        request.max_content_length = 2 * uploads.max_bytes()


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    if request.endpoint in UPLOAD_ENDPOINTS:
        return render_error(
            413,
            text=_(
                "The file is larger than %(limit)s. Make it smaller and upload it again.",
                limit=file_size(uploads.max_bytes()),
            ),
        )
    return render_error(413)
