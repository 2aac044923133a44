"""Requests that reach a view behind login_required, typed with the signed-in staff user."""

from django.http import HttpRequest

from followup.models import User


class AuthenticatedHttpRequest(HttpRequest):
    # login_required sends anyone else to the login page: here the user is never anonymous.
    user: User
