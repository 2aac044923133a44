"""The enrollment page: one form for the patient, the surgery, the protocol and consent."""

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from followup import access, audit_views, enrollment
from followup.access import Right, requires
from followup.auth import AuthenticatedHttpRequest
from followup.forms import DateFormField, DateTimeFormField, PhoneFormField
from followup.models import CareTeam, Channel, Language, Protocol, Surgery, User, validate_time_zone

DATE = forms.DateInput(attrs={"type": "date"})


class EnrollForm(forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = DateFormField(widget=DATE)
    mrn = forms.CharField(label="MRN", max_length=32)
    phone = PhoneFormField(max_length=32, widget=forms.TextInput(attrs={"type": "tel"}))
    language = forms.ChoiceField(choices=Language.choices, initial=Language.ENGLISH)
    time_zone = forms.CharField(
        max_length=64, initial="America/Chicago", validators=[validate_time_zone]
    )
    caregiver_name = forms.CharField(max_length=100, required=False)
    caregiver_phone = PhoneFormField(
        max_length=32, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    preferred_channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.SMS)
    accepts_calls = forms.BooleanField(required=False, initial=True)
    care_team = forms.ModelChoiceField(queryset=CareTeam.objects.none(), empty_label=None)
    surgery_date = forms.DateField(widget=DATE)
    procedure = forms.ChoiceField(choices=Surgery.Procedure.choices)
    levels = forms.CharField(max_length=32, help_text="e.g. L4-L5, or C5-C7")
    approach = forms.ChoiceField(choices=Surgery.Approach.choices)
    surgeon = forms.ModelChoiceField(queryset=User.objects.none())
    protocol = forms.ModelChoiceField(queryset=Protocol.objects.none(), empty_label=None)
    consent = forms.ChoiceField(
        label="Consent to texts given",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
    )
    consent_method = forms.ChoiceField(
        label="How", choices=enrollment.CONSENT_METHODS, required=False
    )
    consent_at = DateTimeFormField(
        label="When",
        help_text="As the clock showed in the patient's time zone",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        teams = access.teams_of(user)
        self.fields["care_team"].queryset = teams.order_by("name")  # type: ignore[attr-defined]
        self.fields["surgeon"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(role=User.Role.SURGEON, care_teams__in=teams, is_active=True)
            .distinct()
            .order_by("last_name", "username")
        )
        protocols = Protocol.objects.for_user(user).order_by("name", "-version")
        self.fields["protocol"].queryset = protocols  # type: ignore[attr-defined]
        default = Protocol.objects.default()
        if default is not None:
            self.fields["protocol"].initial = default.pk
        self.clash: enrollment.MrnClash | None = None
        self.shared_phone = False

    def clean_mrn(self) -> str:
        mrn: str = self.cleaned_data["mrn"].strip()
        self.clash = enrollment.mrn_clash(mrn, self.user)
        if self.clash is not None:
            if self.clash.patient is None:
                raise forms.ValidationError(enrollment.ANOTHER_TEAM)
            raise forms.ValidationError("This MRN is already enrolled.")
        return mrn

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        if born >= timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return born

    def clean_surgery_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["surgery_date"]
        problem = enrollment.surgery_date_problem(day, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, surgeon = data.get("care_team"), data.get("surgeon")
        if team and surgeon and not team.members.filter(pk=surgeon.pk).exists():
            self.add_error("surgeon", "This surgeon is not a member of the chosen care team.")
        if data.get("consent") == "yes":
            if not data.get("consent_method"):
                self.add_error("consent_method", "Say how consent was given.")
            when = data.get("consent_at")
            zone = data.get("time_zone")
            if when is not None and zone:
                # Typed as the patient's clock showed it, as the CSV import reads it.
                wall = timezone.localtime(when).replace(tzinfo=None)
                when = data["consent_at"] = wall.replace(tzinfo=zoneinfo.ZoneInfo(zone))
            if when is None:
                self.add_error("consent_at", "Say when consent was given.")
            elif when > timezone.now():
                self.add_error("consent_at", "Consent cannot be given in the future.")
        for name in ("phone", "caregiver_phone"):
            if team and enrollment.another_team_uses(data.get(name) or "", team.pk):
                self.add_error(name, enrollment.ANOTHER_TEAMS_NUMBER)
        if data.get("phone"):
            self.shared_phone = enrollment.shares_phone(data["phone"])
        return data

    def patient_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in enrollment.PATIENT_FIELDS}

    def surgery_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = ("procedure", "levels", "approach", "surgeon")
        return {"date": data["surgery_date"], **{name: data[name] for name in fields}}


@requires(Right.RECORD_CONSENT)
def patient_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "patients/new.html", {"form": EnrollForm(request.user)})
    form = EnrollForm(request.user, request.POST)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            context["preview"] = enrollment.preview_enrollment(
                form.patient_fields(), data["protocol"], data["surgery_date"]
            )
        else:
            given = data["consent"] == "yes"
            enrolled = enrollment.enroll_patient(
                form.patient_fields(),
                form.surgery_fields(),
                data["protocol"],
                data["consent_at"] if given else None,
                data["consent_method"] if given else "",
                request.user,
                audit_views.origin(request),
            )
            if given:
                messages.success(
                    request, f"{enrolled.patient} is enrolled; the welcome text goes out."
                )
            else:
                messages.warning(
                    request,
                    f"{enrolled.patient} is enrolled but paused: nothing is sent until consent "
                    "is recorded.",
                )
            return redirect("patient-detail", enrolled.patient_id)
    return render(request, "patients/new.html", context)
