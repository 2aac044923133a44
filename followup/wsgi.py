"""WSGI entry point; refuses to serve when the production checks fail."""

import os

from django.core.management import call_command
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup.settings")
application = get_wsgi_application()
# gunicorn does not run Django's system checks; a misconfigured production must not start.
call_command("check", fail_level="ERROR")
