"""URL routes."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from followup import dashboard, demo, health, ivr, media, protocols, voice, webhooks

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("rows/", dashboard.rows, name="dashboard-rows"),
    path("escalations/<int:pk>/acknowledge/", dashboard.acknowledge, name="acknowledge"),
    path("escalations/<int:pk>/resolve/", dashboard.resolve, name="resolve"),
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
    path("protocols/", protocols.protocol_list, name="protocols"),
    path("protocols/new/", protocols.protocol_new, name="protocol-new"),
    path("protocols/<int:pk>/", protocols.protocol_detail, name="protocol-detail"),
    path("protocols/<int:pk>/copy/", protocols.protocol_new, name="protocol-copy"),
    path("protocols/<int:pk>/edit/", protocols.protocol_edit, name="protocol-edit"),
    path("protocols/<int:pk>/move/", protocols.protocol_move, name="protocol-move"),
    path("healthz", health.healthz, name="healthz"),
    path("twilio/sms/", webhooks.inbound_sms, name="twilio-sms"),
    path("twilio/status/", webhooks.message_status, name="twilio-status"),
    path("twilio/voice/status/", ivr.call_status, name="ivr-status"),
    path("twilio/voice/checkin/<int:pk>/", ivr.start, name="ivr-start"),
    path("twilio/voice/checkin/<int:pk>/identity/", ivr.identity, name="ivr-identity"),
    path("twilio/voice/checkin/<int:pk>/question/", ivr.question, name="ivr-question"),
    path("twilio/voice/checkin/<int:pk>/answer/<int:index>/", ivr.answer, name="ivr-answer"),
    path("twilio/voice/page/<int:pk>/", voice.page_call, name="twilio-voice-page"),
    path("twilio/voice/page/<int:pk>/ack/", voice.page_ack, name="twilio-voice-page-ack"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The demo pages answer 404 unless DEMO_MODE is on (never in production).
    path("demo/phone/", demo.phone, name="demo-phone"),
    path("demo/phone/<int:patient_id>/", demo.phone, name="demo-phone-patient"),
    path("admin/", admin.site.urls),
]

handler400 = "followup.errors.bad_request"
