"""URL routes."""

import os

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from followup import (
    archive_views,
    audit_views,
    chart_views,
    clinician_calls,
    dashboard,
    enroll_views,
    health,
    media,
    patient_calls,
    patient_list,
    patients,
    report_views,
    roster_views,
    signin,
    webhooks,
)
from followup.protocols import views as protocol_views

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("rows/", dashboard.rows, name="dashboard-rows"),
    path("escalations/<int:pk>/acknowledge/", dashboard.acknowledge, name="acknowledge"),
    path("escalations/<int:pk>/resolve/", dashboard.resolve, name="resolve"),
    path("escalations/<int:pk>/assign/", dashboard.assign_to_me, name="assign"),
    path(
        "inbound/<int:pk>/reviewed/",
        dashboard.mark_reviewed,
        {"kind": "inbound"},
        name="message-reviewed",
    ),
    path("inbound/<int:pk>/media/<int:index>/", media.inbound_media, name="inbound-media"),
    path(
        "outbound/<int:pk>/reviewed/",
        dashboard.mark_reviewed,
        {"kind": "outbound"},
        name="send-reviewed",
    ),
    path("care-items/<int:pk>/done/", dashboard.complete_care_item, name="care-item-done"),
    path("protocols/", protocol_views.protocol_list, name="protocols"),
    path("protocols/new/", protocol_views.protocol_new, name="protocol-new"),
    path("protocols/<int:pk>/", protocol_views.protocol_detail, name="protocol-detail"),
    path("protocols/<int:pk>/copy/", protocol_views.protocol_new, name="protocol-copy"),
    path("protocols/<int:pk>/edit/", protocol_views.protocol_edit, name="protocol-edit"),
    path("protocols/<int:pk>/move/", protocol_views.protocol_move, name="protocol-move"),
    path("escalations/", archive_views.escalation_archive, name="escalation-archive"),
    path("reports/", report_views.report_page, name="reports"),
    path("reports/export.csv", report_views.report_export, name="report-export"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("audit/export.csv", audit_views.audit_export, name="audit-export"),
    path("patients/new/", enroll_views.patient_new, name="patient-new"),
    path("patients/", patient_list.patient_list, name="patients"),
    path("patients/import/", patient_list.patient_import_page, name="patients-import"),
    path(
        "patients/assign-protocol/",
        protocol_views.protocol_assign,
        name="patients-assign-protocol",
    ),
    path("patients/<int:pk>/", patients.patient_detail, name="patient-detail"),
    path("patients/<int:pk>/text/", patients.send_text, name="patient-text"),
    path("patients/<int:pk>/note/", patients.add_note, name="patient-note"),
    path("patients/<int:pk>/status/", patients.change_status, name="patient-status"),
    path("patients/<int:pk>/contact/", patients.edit_contact, name="patient-contact"),
    path("patients/<int:pk>/protocol/", patients.change_protocol, name="patient-protocol"),
    path("patients/<int:pk>/consent/", patients.record_consent, name="patient-consent"),
    path("patients/<int:pk>/chart.json", chart_views.patient_chart_json, name="patient-chart"),
    path("roster/", roster_views.roster_page, name="roster"),
    path("roster/<int:pk>/end/", roster_views.roster_end, name="roster-end"),
    path("healthz", health.healthz, name="healthz"),
    path("twilio/sms/", webhooks.inbound_sms, name="twilio-sms"),
    path("twilio/status/", webhooks.message_status, name="twilio-status"),
    path("twilio/voice/status/", patient_calls.call_status, name="ivr-status"),
    path("twilio/voice/checkin/<int:pk>/", patient_calls.start, name="ivr-start"),
    path("twilio/voice/checkin/<int:pk>/identity/", patient_calls.identity, name="ivr-identity"),
    path("twilio/voice/checkin/<int:pk>/question/", patient_calls.question, name="ivr-question"),
    path(
        "twilio/voice/checkin/<int:pk>/answer/<int:index>/", patient_calls.answer, name="ivr-answer"
    ),
    path("twilio/voice/page/<int:pk>/", clinician_calls.page_call, name="twilio-voice-page"),
    path("twilio/voice/page/<int:pk>/ack/", clinician_calls.page_ack, name="twilio-voice-page-ack"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signin/two-factor/", signin.two_factor_verify, name="two-factor-verify"),
    path("signin/two-factor/setup/", signin.two_factor_setup, name="two-factor-setup"),
    path("signin/stay/", signin.stay_signed_in, name="stay-signed-in"),
    path("admin/", admin.site.urls),
]
if settings.DEMO_MODE:
    # Only where the demo app is installed: production has no demo code or routes.
    urlpatterns.append(path("demo/", include("followup.demo.urls")))

# Benchmark only (tests/bench_webhook.py): the floor the SMS webhook is measured against, an
# empty TwiML answer from a plain view in the same server.
if os.environ.get("BENCH_BARE_VIEW") == "1":
    urlpatterns.append(path("bench/bare/", webhooks.empty_twiml))

handler400 = "followup.errors.bad_request"
