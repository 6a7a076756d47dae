"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from registration import create_app

app = create_app()
