"""Forms: phone and date input, the nurse's acknowledge and resolve actions, the patient page's
actions."""

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from followup.models import Escalation, Patient, Protocol, StaffNote, User
from followup.phones import to_e164


class PhoneFormField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return to_e164(text) if text else text


# Dates a person could mean in this program, with room to count days on either side: a year
# like 9999 is a typo, and counting past it fails in Python and PostgreSQL alike.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)
_DATE_RANGE = "Choose a date between 1900 and 2999."


def plausible(day: dt.date) -> bool:
    """Between EARLIEST_DATE and LATEST_DATE."""
    return EARLIEST_DATE <= day <= LATEST_DATE


class DateFormField(forms.DateField):
    """A date between EARLIEST_DATE and LATEST_DATE, else a form error."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(EARLIEST_DATE, _DATE_RANGE),
            MaxValueValidator(LATEST_DATE, _DATE_RANGE),
        ]


class DateTimeFormField(forms.DateTimeField):
    """A date and time on a date DateFormField accepts, else a form error."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not plausible(value.date()):
            raise forms.ValidationError(_DATE_RANGE, code="date_range")


# The longest note a nurse resolves with (the dashboard's textarea holds as many).
NOTE_CHARS = 2000


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=Escalation.Outcome.choices)
    note = forms.CharField(
        required=False, max_length=NOTE_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )


class TextForm(forms.Form):
    # One SMS segment is 160 characters; longer texts go out as several.
    body = forms.CharField(max_length=640, widget=forms.Textarea(attrs={"rows": 3}), label="Text")


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=StaffNote.Kind.choices, initial=StaffNote.Kind.NOTE)
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("pause", "resume", "withdraw")])


class ConsentForm(forms.Form):
    choice = forms.ChoiceField(choices=[("consent", "consent"), ("opt_out", "opt_out")])


class ContactForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Patient
        fields = [
            "phone",
            "caregiver_name",
            "caregiver_phone",
            "language",
            "time_zone",
            "quiet_start",
            "quiet_end",
            "preferred_channel",
            "accepts_calls",
        ]
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each field carries what the page showed, so a save changes only what this nurse
        # changed: a colleague's edit made meanwhile is not undone by a stale page.
        for field in self.fields.values():
            field.show_hidden_initial = True

    def clean(self) -> dict[str, Any]:
        from followup.enrollment import ANOTHER_TEAMS_NUMBER, another_team_uses

        data = super().clean() or {}
        for name in ("phone", "caregiver_phone"):
            if name in self.changed_data and another_team_uses(
                data.get(name) or "", self.instance.care_team_id, self.instance.pk
            ):
                self.add_error(name, ANOTHER_TEAMS_NUMBER)
        return data


class ProtocolChoiceForm(forms.Form):
    protocol = forms.ModelChoiceField(queryset=Protocol.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = Protocol.objects.for_user(user).order_by("name", "version")
        self.fields["protocol"].queryset = choices  # type: ignore[attr-defined]
