"""WSGI entry point; refuses to serve when the production checks fail."""

import os

from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup.settings")
# Web requests only: a statement stuck this long is cut short by the server. Migrations and the
# worker start through manage.py and keep no such limit (a long migration must finish).
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "30")
application = get_wsgi_application()
# gunicorn does not run Django's system checks; a misconfigured production must not start.
call_command("check", fail_level="ERROR")
# The URLconf (and through the webhooks, triage's lexicons: over a second) is imported here, with
# the app (in gunicorn's master, which forks the workers), not by a worker's first request: a text
# must not wait for it when gunicorn recycles a worker (max_requests).
get_resolver().url_patterns  # noqa: B018
# gunicorn imports this once and forks its workers from it (preload_app): a connection opened
# here would be shared by every worker. None is expected; any that is goes before the fork.
connections.close_all()
