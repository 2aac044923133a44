"""Patient data only for the team that treats them: every route classified, every object scoped."""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from followup import access
from followup.models import (
    CareItem,
    Escalation,
    InboundMessage,
    OutboundMessage,
    Patient,
    Protocol,
    Severity,
    Shift,
    User,
)
from tests.factories import make_enrolled_patient, make_team, make_user

# Pages anyone may open: signing in and out, and the load balancer's probe.
PUBLIC = {
    "login": "the sign-in form",
    "logout": "signing out",
    "healthz": "the load balancer's probe; no patient data",
    "two-factor-verify": "the sign-in's second step; checks its own session",
    "two-factor-setup": "the sign-in's second step; checks its own session",
    "stay-signed-in": "extends the signed-in person's own session",
}
# Staff pages guarded by their own module's decorator rather than access.requires.
STAFF_MODULES = {"followup.audit_views"}
# Object-bearing staff routes whose objects are not patient data: shared by every team.
SHARED_OBJECTS: set[str] = set()


def walk(patterns=None, prefix="", namespace=None):
    """Every route of the project: (path, name, namespace, view)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from walk(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name, namespace, entry.callback


def classify(path, name, namespace, view):
    if namespace == "admin":
        return "admin"
    if view.__module__.startswith("followup.demo"):
        return "demo"
    if path.startswith("twilio/"):
        return "twilio-signed"
    if name in PUBLIC:
        return "public"
    if getattr(view, "required_right", None) in set(access.Right):
        return "staff"
    if view.__module__ in STAFF_MODULES:
        return "staff"
    return None


ROUTES = list(walk())
STAFF = [
    (path, name) for path, name, ns, view in ROUTES if classify(path, name, ns, view) == "staff"
]


def test_every_route_is_classified():
    unclassified = [
        path for path, name, ns, view in ROUTES if classify(path, name, ns, view) is None
    ]
    assert not unclassified, f"classify these routes in tests/test_access.py: {unclassified}"
    kinds = {classify(*route) for route in ROUTES}
    assert {"admin", "twilio-signed", "public", "staff"} <= kinds


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p, n, ns, v in ROUTES if classify(p, n, ns, v) == "staff"])
def test_staff_routes_send_strangers_to_sign_in(client, path):
    url = "/" + path.replace("<int:pk>", "1").replace("<int:index>", "0")
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [p for p, n, ns, v in ROUTES if classify(p, n, ns, v) == "twilio-signed"]
)
def test_twilio_routes_refuse_an_unsigned_post(client, path):
    url = "/" + path.replace("<int:pk>", "1").replace("<int:index>", "0")
    assert client.post(url, {"MessageSid": "SM" + "0" * 32}).status_code == 403


@pytest.fixture
def team_a_rows():
    """One of everything about a patient of team A: the objects staff URLs take."""
    team = make_team(name="Team A")
    patient, _ = make_enrolled_patient(
        first_name="Zelda",
        last_name="Quartz",
        mrn="MRNTEAMA1",
        phone="+17735550991",
        care_team=team,
    )
    escalation = Escalation.objects.create(
        patient=patient,
        severity=Severity.EMERGENCY,
        findings=["numbness"],
        evidence={"numbness": "zelda's numb foot"},
        next_page_at=timezone.now() + dt.timedelta(minutes=5),
    )
    inbound = InboundMessage.objects.create(
        message_sid="SM" + "a" * 32,
        from_number=patient.phone,
        body="zelda's wound photo",
        sender=InboundMessage.Sender.PATIENT,
        patient=patient,
        media_urls=["https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"],
        assessment={"findings": [], "severity": "none"},
        processed_at=timezone.now(),
    )
    outbound = OutboundMessage.objects.create(
        patient=patient, to=patient.phone, body="q", kind="question", status="failed"
    )
    page = OutboundMessage.objects.create(
        to="+13125550177",
        body="EMERGENCY ZQ 0991",
        kind="page",
        status="failed",
        escalation=escalation,
    )
    item = CareItem.objects.create(patient=patient, kind=CareItem.Kind.NO_RESPONSE)
    protocol = Protocol.objects.create(name="Team A cervical", care_team=team)
    lead = make_user(role=User.Role.TEAM_LEAD)
    team.members.add(lead)
    shift = Shift.objects.create(care_team=team, user=lead, starts_at=timezone.now())
    return {
        "protocol": protocol,
        "patient": patient,
        "escalation": escalation,
        "inbound": inbound,
        "outbound": outbound,
        "page": page,
        "care_item": item,
        "shift": shift,
    }


# Which of team A's objects each object-bearing staff route takes.
OBJECTS = {
    "acknowledge": ("escalation", {}),
    "resolve": ("escalation", {"outcome": "advice"}),
    "message-reviewed": ("inbound", {}),
    "inbound-media": ("inbound", {}),
    "send-reviewed": ("outbound", {}),
    "care-item-done": ("care_item", {}),
    "patient-detail": ("patient", {}),
    "patient-text": ("patient", {"body": "hello from team B"}),
    "patient-note": ("patient", {"kind": "note", "text": "team B was here"}),
    "patient-status": ("patient", {"action": "withdraw"}),
    "patient-contact": ("patient", {"contact-phone": "+13125550100"}),
    "patient-protocol": ("patient", {}),
    "patient-consent": ("patient", {"choice": "opt_out"}),
    "patient-chart": ("patient", {}),
    "assign": ("escalation", {}),
    "protocol-detail": ("protocol", {}),
    "protocol-copy": ("protocol", {"action": "save", "name": "Stolen"}),
    "protocol-edit": ("protocol", {"action": "save"}),
    "protocol-move": ("protocol", {"choice": "move"}),
    "roster-end": ("shift", {}),
}


@pytest.fixture
def team_b_nurse(client):
    # A team lead holds every clinical right, so only the team stands between her and team A.
    nurse = make_user(username="bea", role=User.Role.TEAM_LEAD)
    make_team(name="Team B").members.add(nurse)
    client.force_login(nurse)
    return client


def test_every_object_bearing_staff_route_is_covered():
    bearing = {name for path, name in STAFF if "<" in path}
    assert bearing <= set(OBJECTS) | SHARED_OBJECTS, bearing - set(OBJECTS) - SHARED_OBJECTS


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_another_teams_object_answers_404_like_a_missing_one(team_b_nurse, team_a_rows, name):
    key, data = OBJECTS[name]
    obj = team_a_rows[key]
    args = [obj.pk, 0] if name == "inbound-media" else [obj.pk]
    missing = [10**9, 0] if name == "inbound-media" else [10**9]
    assert team_b_nurse.post(reverse(name, args=args), data).status_code == 404
    got, absent = (
        team_b_nurse.get(reverse(name, args=args)),
        team_b_nurse.get(reverse(name, args=missing)),
    )
    assert got.status_code == absent.status_code
    assert got.status_code in (404, 405)


@pytest.mark.django_db
def test_another_teams_escalation_is_not_acknowledged_resolved_or_silenced(
    team_b_nurse, team_a_rows
):
    escalation = team_a_rows["escalation"]
    before = Escalation.objects.values().get(pk=escalation.pk)
    team_b_nurse.post(reverse("acknowledge", args=[escalation.pk]))
    team_b_nurse.post(reverse("resolve", args=[escalation.pk]), {"outcome": "no_action"})
    after = Escalation.objects.values().get(pk=escalation.pk)
    assert after == before
    assert after["status"] == Escalation.Status.OPEN and after["next_page_at"] is not None
    assert not escalation.events.exists()


@pytest.mark.django_db
def test_another_teams_messages_and_items_stay_unreviewed(team_b_nurse, team_a_rows):
    team_b_nurse.post(reverse("message-reviewed", args=[team_a_rows["inbound"].pk]))
    team_b_nurse.post(reverse("send-reviewed", args=[team_a_rows["outbound"].pk]))
    team_b_nurse.post(reverse("send-reviewed", args=[team_a_rows["page"].pk]))
    team_b_nurse.post(reverse("care-item-done", args=[team_a_rows["care_item"].pk]))
    assert InboundMessage.objects.get(pk=team_a_rows["inbound"].pk).reviewed_at is None
    assert not OutboundMessage.objects.exclude(reviewed_at=None).exists()
    assert CareItem.objects.get(pk=team_a_rows["care_item"].pk).done_at is None


def team_a_details(rows):
    patient = rows["patient"]
    return ["Zelda", "Quartz", patient.mrn, patient.phone, "zelda&#x27;s", "+13125550177"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["dashboard", "dashboard-rows", "patients", "escalation-archive", "reports", "audit"]
)
def test_list_pages_show_nothing_of_another_team(team_b_nurse, team_a_rows, name):
    html = team_b_nurse.get(reverse(name)).content.decode()
    for detail in team_a_details(team_a_rows):
        assert detail not in html
    assert f'data-escalation="{team_a_rows["escalation"].pk}"' not in html
    working = {"working": str(team_a_rows["escalation"].pk)}
    Escalation.objects.filter(pk=team_a_rows["escalation"].pk).update(status="resolved")
    rows = team_b_nurse.get(reverse("dashboard-rows"), working).content.decode()
    assert "data-resolved=" not in rows


@pytest.mark.django_db
def test_the_treating_team_sees_its_own_patient(client, team_a_rows):
    nurse = make_user(username="ana")
    team_a_rows["patient"].care_team.members.add(nurse)
    client.force_login(nurse)
    html = client.get(reverse("dashboard")).content.decode()
    for detail in ("Zelda", "Quartz", "MRNTEAMA1", "zelda&#x27;s numb foot", "+13125550177"):
        assert detail in html


@pytest.mark.django_db
def test_an_unknown_number_shows_its_text_to_every_teams_staff_but_not_to_teamless_staff(
    client, team_b_nurse
):
    InboundMessage.objects.create(
        message_sid="SM" + "u" * 32,
        from_number="+17735550123",
        body="who is this",
        sender=InboundMessage.Sender.UNKNOWN,
        assessment={"findings": []},
        processed_at=timezone.now(),
    )
    assert "who is this" in team_b_nurse.get(reverse("dashboard")).content.decode()
    client.force_login(make_user(username="teamless"))
    assert "who is this" not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_superusers_see_every_team(team_a_rows):
    root = make_user(username="root", is_superuser=True)
    assert access.visible(Patient.objects.all(), root).count() == Patient.objects.count()
    for key in ("escalation", "inbound", "outbound", "page", "care_item"):
        model = type(team_a_rows[key])
        assert access.visible(model.objects.all(), root).filter(pk=team_a_rows[key].pk).exists()


@pytest.fixture
def team_b_admin(client):
    """A system administrator on team B, with every Django permission of the app."""
    from django.contrib.auth.models import Permission

    admin_user = make_user(username="sysb", role=User.Role.ADMIN, is_staff=True)
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="followup"))
    make_team(name="Team B admin").members.add(admin_user)
    client.force_login(admin_user)
    return client


ADMIN_ROWS = {
    "patient": "patient",
    "escalation": "escalation",
    "inboundmessage": "inbound",
    "outboundmessage": "outbound",
}


@pytest.mark.django_db
@pytest.mark.parametrize("model", sorted(ADMIN_ROWS))
def test_the_admin_hides_another_teams_rows(team_b_admin, team_a_rows, model):
    obj = team_a_rows[ADMIN_ROWS[model]]
    listing = team_b_admin.get(reverse(f"admin:followup_{model}_changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    for detail in ("Zelda", "Quartz", "MRNTEAMA1"):
        assert detail not in html
    change = team_b_admin.get(reverse(f"admin:followup_{model}_change", args=[obj.pk]))
    assert change.status_code in (302, 404)
    assert "Zelda" not in change.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["checkin", "enrollment", "answer"])
def test_the_admins_other_patient_lists_hide_another_team(team_b_admin, team_a_rows, model):
    html = team_b_admin.get(reverse(f"admin:followup_{model}_changelist")).content.decode()
    assert "Quartz" not in html


@pytest.mark.django_db
def test_admin_choice_lists_offer_only_the_users_teams_patients(team_b_admin, team_a_rows):
    html = team_b_admin.get(reverse("admin:followup_escalation_add")).content.decode()
    assert "Quartz" not in html


@pytest.fixture
def team_lead_b(client):
    """A team lead of team B with the admin open to her (staff status and the app's permissions),
    as an installation may give its leads."""
    from django.contrib.auth.models import Permission

    lead = make_user(username="leadb", role=User.Role.TEAM_LEAD, is_staff=True)
    lead.user_permissions.set(Permission.objects.filter(content_type__app_label="followup"))
    make_team(name="Team B lead").members.add(lead)
    client.force_login(lead)
    return client


def takes_over(client, account: User) -> bool:
    """Whether `client` can set `account`'s password through the admin."""
    before = User.objects.get(pk=account.pk).password
    client.post(
        reverse("admin:auth_user_password_change", args=[account.pk]),
        {"password1": "Taken-over-1234", "password2": "Taken-over-1234"},
    )
    return User.objects.get(pk=account.pk).password != before


@pytest.mark.django_db
def test_a_team_lead_never_manages_a_superuser_or_an_administrator(team_lead_b):
    root = make_user(username="root", is_superuser=True, is_staff=True)
    sysadmin = make_user(username="sysadmin", role=User.Role.ADMIN, is_staff=True)
    newcomer = make_user(username="newcomer")
    listing = team_lead_b.get(reverse("admin:followup_user_changelist")).content.decode()
    assert "newcomer" in listing and "root" not in listing and "sysadmin" not in listing
    for account in (root, sysadmin):
        assert not takes_over(team_lead_b, account)
    # Nor does she hand out the administrator's role, to others or to herself.
    # A newcomer on no team yet is hers to manage.
    assert takes_over(team_lead_b, newcomer)
    form = team_lead_b.get(reverse("admin:followup_user_change", args=[newcomer.pk]))
    assert 'value="admin"' not in form.content.decode()
    assert 'value="team_lead"' in form.content.decode()


@pytest.mark.django_db
def test_only_a_superuser_writes_protocols_in_the_admin(team_b_admin, team_a_rows):
    shared = Protocol.objects.default()
    change = reverse("admin:followup_protocol_change", args=[shared.pk])
    # A system administrator of one team reads the shared protocol and changes nothing: a
    # new version of its name, or the default flag, would decide every team's protocol.
    assert team_b_admin.get(change).status_code == 200
    team_b = User.objects.get(username="sysb").care_teams.get()
    response = team_b_admin.post(change, {"name": shared.name, "care_team": team_b.pk})
    assert response.status_code == 403
    assert Protocol.objects.get(pk=shared.pk).care_team_id is None
    add = reverse("admin:followup_protocol_add")
    assert team_b_admin.get(add).status_code == 403
    for care_team in (team_b.pk, ""):
        response = team_b_admin.post(
            add,
            {
                "name": shared.name, "version": str(shared.version + 1), "is_default": "on",
                "care_team": care_team, "created_at_0": "2026-01-01", "created_at_1": "10:00",
                "steps-TOTAL_FORMS": "0", "steps-INITIAL_FORMS": "0",
            },
        )  # fmt: skip
        assert response.status_code == 403
    assert Protocol.objects.default() == shared


@pytest.mark.django_db
def test_every_change_and_deletion_through_the_admin_is_audited(team_b_admin):
    from followup import audit
    from followup.models import AuditEvent

    team_b = User.objects.get(username="sysb").care_teams.get()
    patient, _ = make_enrolled_patient(care_team=team_b, first_name="Bo")
    change = reverse("admin:followup_enrollment_change", args=[patient.enrollments.get().pk])
    form = team_b_admin.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"status": "paused", "enrolled_at_0": "2026-01-01", "enrolled_at_1": "10:00"}
    assert team_b_admin.post(change, data).status_code == 302
    changed = AuditEvent.objects.get(action=audit.ADMIN_CHANGE)
    assert changed.patient_id == patient.pk and "Status" in changed.detail
    member = make_user(username="newnurse")
    team_change = reverse("admin:followup_careteam_change", args=[team_b.pk])
    form = team_b_admin.get(team_change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("members", "business_days")
    }
    data |= {
        "members": [u.pk for u in team_b.members.all()] + [member.pk],
        "business_days": form.initial["business_days"],
        "safety_wordings-TOTAL_FORMS": "0", "safety_wordings-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = team_b_admin.post(team_change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert member in team_b.members.all()
    assert AuditEvent.objects.filter(action=audit.ADMIN_CHANGE, detail__contains="Members").exists()
    # Her deletion page and the record's history name the patient: both are views on record.
    for page in ("history", "delete"):
        team_b_admin.get(reverse(f"admin:followup_patient_{page}", args=[patient.pk]))
        assert AuditEvent.objects.filter(
            action=audit.VIEW_ADMIN, patient_id=patient.pk, path__endswith=f"/{page}/"
        ).exists()
    delete = reverse("admin:followup_patient_delete", args=[patient.pk])
    assert team_b_admin.post(delete, {"post": "yes"}).status_code == 302
    deleted = AuditEvent.objects.get(action=audit.ADMIN_DELETE, detail__startswith="patient")
    assert deleted.patient_id == patient.pk


@pytest.mark.django_db
def test_the_team_form_offers_only_staff_she_manages_and_the_teams_own_members(team_lead_b):
    team_b = User.objects.get(username="leadb").care_teams.get()
    elsewhere = make_user(username="elsewhere", first_name="Ella", last_name="Where")
    make_team(name="Team A staff").members.add(elsewhere)
    colleague = make_user(username="colleague", first_name="Cole", last_name="League")
    make_team(name="Team C").members.add(colleague)
    team_b.members.add(colleague)
    make_user(username="root", first_name="Rooty", is_superuser=True, is_staff=True)
    make_user(username="newcomer", first_name="Newt")
    html = team_lead_b.get(
        reverse("admin:followup_careteam_change", args=[team_b.pk])
    ).content.decode()
    assert "Newt" in html and "Cole League" in html
    assert "Ella Where" not in html and "Rooty" not in html


@pytest.mark.django_db
def test_a_team_lead_does_not_manage_a_colleague_who_is_also_on_another_team(team_lead_b):
    team_b = User.objects.get(username="leadb").care_teams.get()
    both = make_user(username="both", role=User.Role.TEAM_LEAD)
    team_b.members.add(both)
    make_team(name="Team C").members.add(both)
    assert not takes_over(team_lead_b, both)


@pytest.mark.django_db
def test_the_bulk_delete_confirmation_is_an_audited_view(team_b_admin):
    from followup import audit
    from followup.models import AuditEvent

    team_b = User.objects.get(username="sysb").care_teams.get()
    patient, _ = make_enrolled_patient(care_team=team_b, first_name="Bulky")
    response = team_b_admin.post(
        reverse("admin:followup_patient_changelist"),
        {"action": "delete_selected", "_selected_action": [patient.pk]},
    )
    assert response.status_code == 200 and "Bulky" in response.content.decode()
    shown = AuditEvent.objects.get(action=audit.VIEW_ADMIN, detail="patients rows to delete")
    assert shown.patients == [patient.pk]
    assert Patient.objects.filter(pk=patient.pk).exists()


@pytest.mark.django_db
def test_an_inline_deletion_in_the_admin_is_named_in_the_audit(team_b_admin):
    from followup.admin import _described

    team_b = User.objects.get(username="sysb").care_teams.get()
    patient, enrollment = make_enrolled_patient(care_team=team_b)
    message = [
        {"changed": {"fields": ["First name"]}},
        {"deleted": {"name": "enrollment", "object": str(enrollment)}},
    ]
    said = _described(patient, message)
    assert said == f"patient {patient.pk}: changed First name; deleted enrollment {enrollment}"
