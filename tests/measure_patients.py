"""The patient list and a patient's page at clinic scale, through Django's test client.

    DATABASE_URL=postgres://.../followup_m .venv/bin/python -m tests.measure_patients 10000 1000

Migrates the database it is given (use a scratch one: it adds rows), seeds the dashboard
measure's open escalations (tests/measure_dashboard.py) for the second argument's number of
patients and plain enrolled-after-surgery patients for the rest, then prints the median time,
queries and bytes of the list's first page and of the page of a patient with an open escalation.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from followup.models import Patient  # noqa: E402
from tests.measure_dashboard import seed, seed_patients, timed  # noqa: E402


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    open_ = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    if not 0 <= open_ <= total:
        raise SystemExit("usage: measure_patients PATIENTS OPEN_ESCALATIONS (open <= patients)")
    call_command("migrate", verbosity=0)
    setup_test_environment()
    nurse = seed(open_, 10, 0)
    team = nurse.care_teams.get()
    stamp = f"{timezone.now():%H%M%S%f}"
    seed_patients(
        team, nurse, total - open_, first_name="Ana", key=f"R{stamp}", area=774, days_ago=20
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(nurse)
    shown = Patient.objects.filter(care_team=team).order_by("pk").first()
    assert shown is not None
    client.get("/patients/")
    results = (
        ("patient list", timed(client, "/patients/", 5)),
        ("patient page", timed(client, f"/patients/{shown.pk}/", 5)),
    )
    print(f"{total} patients, {open_} open escalations")
    for name, (ms, queries, status, size) in results:
        if status != 200:
            raise SystemExit(f"{name}: status {status}")
        print(f"{name:20} {ms:7.1f} ms {queries:3} queries  {status}  {size:7} bytes (gzip)")


if __name__ == "__main__":
    main()
