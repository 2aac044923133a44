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


def _admin_patient_form(patient, surgery, status: str) -> dict[str, object]:
    """The admin's change form of `patient` and her `surgery`, adding one enrollment."""
    from followup.models import Protocol

    return {
        "first_name": patient.first_name, "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(), "mrn": patient.mrn,
        "phone": patient.phone, "language": "en", "preferred_channel": "sms",
        "time_zone": patient.time_zone, "quiet_start": "21:00", "quiet_end": "08:00",
        "care_team": patient.care_team_id,
        "surgeries-TOTAL_FORMS": "1", "surgeries-INITIAL_FORMS": "1",
        "surgeries-0-id": surgery.pk, "surgeries-0-patient": patient.pk,
        "surgeries-0-date": surgery.date.isoformat(), "surgeries-0-procedure": "tlif",
        "surgeries-0-levels": "L4-L5", "surgeries-0-approach": "posterior",
        "surgeries-0-surgeon": surgery.surgeon_id,
        "enrollments-TOTAL_FORMS": "1", "enrollments-INITIAL_FORMS": "0",
        "enrollments-0-surgery": surgery.pk,
        "enrollments-0-protocol": Protocol.objects.default().pk,
        "enrollments-0-status": status,
        "enrollments-0-enrolled_at_0": "2026-01-01", "enrollments-0-enrolled_at_1": "10:00",
    }  # fmt: skip


def test_the_admin_never_starts_texting_a_patient_with_no_consent_on_record(admin_client):
    """Adding or resuming an enrollment in the admin once recorded consent silently, with
    nobody's name on it, and texted the patient: it is now a form error, and consent is taken
    by its own recorded action, which starts the follow-up."""
    from followup.models import Enrollment, OutboundMessage, Protocol
    from tests.factories import make_surgery, make_team

    team = make_team()
    surgeon = make_user(username="dr_ode", role="surgeon")
    patient = make_patient(care_team=team, consented_at=None)
    surgery = make_surgery(patient, surgeon=surgeon)
    protocol = Protocol.objects.default().pk
    add = admin_client.post(
        reverse("admin:followup_enrollment_add"),
        {
            "patient": patient.pk, "surgery": surgery.pk, "protocol": protocol,
            "status": "active", "enrolled_at_0": "2026-01-01", "enrolled_at_1": "10:00",
        },
    )  # fmt: skip
    assert add.status_code == 200
    assert "no consent to texts on record" in add.content.decode()
    assert not Enrollment.objects.filter(patient=patient).exists()

    # Added paused, then resumed on its own change page: refused the same way.
    paused = Enrollment.objects.create(
        patient=patient, surgery=surgery, protocol_id=protocol, status="paused"
    )
    change = admin_client.post(
        reverse("admin:followup_enrollment_change", args=[paused.pk]),
        {
            "patient": patient.pk, "surgery": surgery.pk, "protocol": protocol,
            "status": "active", "enrolled_at_0": "2026-01-01", "enrolled_at_1": "10:00",
        },
    )  # fmt: skip
    assert change.status_code == 200
    assert "no consent to texts on record" in change.content.decode()
    patient.refresh_from_db()
    paused.refresh_from_db()
    assert patient.consented_at is None and paused.status == Enrollment.Status.PAUSED
    assert not patient.outbound.exists() and not paused.checkins.exists()

    # Recorded as its own action, consent starts the follow-up and names who took it.
    done = admin_client.post(
        reverse("admin:followup_patient_changelist"),
        {"action": "record_consent", "_selected_action": [patient.pk]},
    )
    assert done.status_code == 302
    paused.refresh_from_db()
    assert paused.status == Enrollment.Status.ACTIVE and paused.checkins.exists()
    assert patient.outbound.filter(kind=OutboundMessage.Kind.WELCOME).exists()
    event = AuditEvent.objects.get(action="action.record_consent", patient_id=patient.pk)
    assert event.user is not None and event.user.is_superuser


def test_an_enrollment_added_on_the_admins_patient_page_waits_for_consent(admin_client):
    from followup.models import Enrollment
    from tests.factories import make_surgery

    patient = make_patient(consented_at=None)
    surgery = make_surgery(patient)
    url = reverse("admin:followup_patient_change", args=[patient.pk])
    refused = admin_client.post(url, _admin_patient_form(patient, surgery, "active"))
    assert refused.status_code == 200
    assert "no consent to texts on record" in refused.content.decode()
    assert not Enrollment.objects.filter(patient=patient).exists()

    added = admin_client.post(url, _admin_patient_form(patient, surgery, "paused"))
    assert added.status_code == 302, added.content.decode()[:3000]
    enrollment = Enrollment.objects.get(patient=patient)
    patient.refresh_from_db()
    assert patient.consented_at is None and enrollment.status == Enrollment.Status.PAUSED
    assert not enrollment.checkins.exists() and not patient.outbound.exists()

    # With consent on record, the same form starts the follow-up at once.
    Enrollment.objects.all().delete()
    Patient.objects.filter(pk=patient.pk).update(consented_at=timezone.now())
    started = admin_client.post(url, _admin_patient_form(patient, surgery, "active"))
    assert started.status_code == 302, started.content.decode()[:3000]
    assert Enrollment.objects.get(patient=patient).checkins.exists()


def test_enrolling_a_patient_with_no_consent_on_record_waits_for_it():
    """No path that enrolls assumes consent: without it nothing is planned or sent."""
    from followup.models import Enrollment
    from followup.scheduling import enroll, replan_after_change
    from tests.factories import make_surgery

    patient = make_patient(consented_at=None)
    enrollment = enroll(patient, make_surgery(patient))
    patient.refresh_from_db()
    assert patient.consented_at is None and enrollment.status == Enrollment.Status.PAUSED
    assert not enrollment.checkins.exists() and not patient.outbound.exists()
    # Made active behind the forms' backs, it still waits.
    Enrollment.objects.filter(pk=enrollment.pk).update(status="active")
    enrollment.refresh_from_db()
    replan_after_change([enrollment])
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.PAUSED and not enrollment.checkins.exists()
