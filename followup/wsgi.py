"""WSGI entry point; refuses to serve when the production checks fail."""

import os

from django.core.management import call_command
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup.settings")
# Web requests only: a statement stuck this long is cut short by the server. Migrations and the
# worker start through manage.py and keep no such limit (a long migration must finish).
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "30")
application = get_wsgi_application()
# gunicorn does not run Django's system checks; a misconfigured production must not start.
call_command("check", fail_level="ERROR")
