"""The admin is usable: every page renders, and phone numbers are normalised to E.164."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import Patient, Shift
from tests.factories import make_enrolled_patient, make_team, make_user

MODELS = [
    "user", "careteam", "patient", "protocol", "enrollment", "checkin",
    "inboundmessage", "outboundmessage", "escalation", "answer",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_every_admin_list_and_add_page_renders(admin_client, model):
    make_enrolled_patient()
    assert admin_client.get(reverse(f"admin:followup_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:followup_{model}_add")).status_code == 200


@pytest.mark.django_db
def test_a_typed_phone_number_is_stored_as_e164(admin_client):
    team = make_team()
    response = admin_client.post(
        reverse("admin:followup_patient_add"),
        {
            "first_name": "Ana", "last_name": "Diaz", "date_of_birth": "1970-01-02",
            "mrn": "A1", "phone": "(312) 555-0142", "language": "es",
            "preferred_channel": "sms", "time_zone": "America/Chicago",
            "quiet_start": "21:00", "quiet_end": "08:00", "care_team": team.pk,
            "created_at_0": "2026-01-01", "created_at_1": "10:00",
            "surgeries-TOTAL_FORMS": "0", "surgeries-INITIAL_FORMS": "0",
            "enrollments-TOTAL_FORMS": "0", "enrollments-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Patient.objects.get(mrn="A1").phone == "+13125550142"


@pytest.mark.django_db
def test_a_bad_phone_number_or_time_zone_is_a_form_error(admin_client):
    team = make_team()
    response = admin_client.post(
        reverse("admin:followup_patient_add"),
        {
            "first_name": "Ana", "last_name": "Diaz", "date_of_birth": "1970-01-02",
            "mrn": "A2", "phone": "12", "language": "en", "preferred_channel": "sms",
            "time_zone": "Mars/Olympus", "quiet_start": "21:00", "quiet_end": "08:00",
            "care_team": team.pk, "created_at_0": "2026-01-01", "created_at_1": "10:00",
            "surgeries-TOTAL_FORMS": "0", "surgeries-INITIAL_FORMS": "0",
            "enrollments-TOTAL_FORMS": "0", "enrollments-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a valid phone number" in body
    assert "is not an IANA time zone" in body
    assert not Patient.objects.filter(mrn="A2").exists()


@pytest.mark.django_db
def test_the_care_teams_list_shows_who_is_on_call_now_for_each_team(admin_client):
    olga = make_user(username="olga", first_name="Olga", last_name="Ruiz")
    ben = make_user(username="ben", first_name="Ben", last_name="Ode")
    make_team(name="Fixed pair", on_call=olga)
    rostered = make_team(name="Rostered", on_call=olga)
    Shift.objects.create(care_team=rostered, user=ben, starts_at=timezone.now())
    make_team(name="Nobody")
    html = admin_client.get(reverse("admin:followup_careteam_changelist")).content.decode()
    rows = dict(re.findall(r'<a href="[^"]+/change/">([^<]+)</a>(.*?)</tr>', html, re.S))
    assert "Olga Ruiz" in rows["Fixed pair"] and "Ben Ode" in rows["Rostered"]
    assert "Olga" not in rows["Rostered"] and "nobody" in rows["Nobody"]


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_the_admin_never_shows_anyones_second_step_secret(admin_client, view):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    nurse = make_user(username="nurse-with-app")
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    # Whoever reads the key or its QR code can make the nurse's codes: not even an administrator.
    for pk in (device.pk, device.pk + 1000):
        url = reverse(f"admin:otp_totp_totpdevice_{view}", args=[pk])
        assert admin_client.get(url).status_code == 403
    change = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.content.decode()


@pytest.mark.django_db
def test_the_admin_never_shows_anyones_recovery_codes(admin_client):
    from django_otp.plugins.otp_static.models import StaticDevice

    nurse = make_user(username="nurse-with-codes")
    codes = StaticDevice.objects.create(user=nurse, name="backup", confirmed=True)
    codes.token_set.create(token="kq7rm2xv")
    page = admin_client.get(reverse("admin:otp_static_staticdevice_change", args=[codes.pk]))
    assert page.status_code == 200
    assert "backup" in page.content.decode()
    assert "kq7rm2xv" not in page.content.decode()
