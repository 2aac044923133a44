"""Consent and opt-out change only through their own recorded actions, never by editing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import consent
from followup.models import AuditEvent, CheckIn, Patient
from tests.factories import make_enrolled_patient, make_patient, make_user
from tests.test_webhooks import awaiting

pytestmark = pytest.mark.django_db


def test_an_opt_out_by_phone_stops_texts_and_is_on_record():
    nurse = make_user()
    patient, _ = make_enrolled_patient()
    checkin = awaiting(patient, "pain")
    assert consent.record_phone_opt_out(patient, nurse)
    patient.refresh_from_db()
    checkin.refresh_from_db()
    assert patient.sms_opted_out_at is not None and not patient.can_text
    assert checkin.status == CheckIn.Status.CANCELLED
    event = AuditEvent.objects.get(action="action.record_opt_out")
    assert (event.user, event.patient_id) == (nurse, patient.pk)
    # Said twice, it changes nothing and records nothing more.
    assert not consent.record_phone_opt_out(patient, nurse)
    assert AuditEvent.objects.filter(action="action.record_opt_out").count() == 1


def test_recording_consent_clears_an_opt_out_and_is_on_record():
    nurse = make_user()
    patient = make_patient(consented_at=None, sms_opted_out_at=timezone.now())
    assert consent.record_consent(patient, nurse)
    patient.refresh_from_db()
    assert patient.consented_at is not None and patient.sms_opted_out_at is None
    assert AuditEvent.objects.get(action="action.record_consent").patient_id == patient.pk
    assert not consent.record_consent(patient, nurse)


def test_the_admin_never_edits_consent_times_but_offers_the_recorded_actions(client):
    root = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    patient = make_patient(sms_opted_out_at=None)
    page = client.get(reverse("admin:followup_patient_change", args=[patient.pk])).content.decode()
    for field in ("consented_at", "sms_opted_out_at", "sms_failed_at", "created_at"):
        assert f'name="{field}' not in page, field
    response = client.post(
        reverse("admin:followup_patient_changelist"),
        {"action": "record_phone_opt_out", "_selected_action": [patient.pk]},
    )
    assert response.status_code == 302
    assert Patient.objects.get(pk=patient.pk).sms_opted_out_at is not None
    event = AuditEvent.objects.get(action="action.record_opt_out", user=root)
    assert (event.path, event.method) == (reverse("admin:followup_patient_changelist"), "POST")


def test_recording_consent_starts_a_follow_up_that_waited_for_it(outbox):
    import datetime as dt

    from followup.enrollment import enroll_patient
    from followup.models import Enrollment, OutboundMessage, Protocol, Surgery
    from tests.factories import make_team

    nurse = make_user()
    team = make_team()
    surgeon = make_user(username="dr_lee", role="surgeon")
    enrollment = enroll_patient(
        {
            "first_name": "Ines",
            "last_name": "Vega",
            "date_of_birth": dt.date(1958, 3, 1),
            "mrn": "MRNWAIT1",
            "phone": "+17735550444",
            "care_team": team,
        },
        {"date": timezone.localdate(), "procedure": Surgery.Procedure.TLIF, "surgeon": surgeon},
        Protocol.objects.default(),
        None,
        "",
        nurse,
    )
    patient = enrollment.patient
    assert enrollment.status == Enrollment.Status.PAUSED
    assert not enrollment.checkins.exists() and not patient.outbound.exists()
    assert consent.record_consent(patient, nurse)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE
    assert enrollment.checkins.exists()
    assert patient.outbound.filter(kind=OutboundMessage.Kind.WELCOME).exists()
