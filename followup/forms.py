"""Forms: phone input, and the nurse's acknowledge and resolve actions."""

from typing import Any

from django import forms

from followup.models import Escalation
from followup.phones import to_e164


class PhoneFormField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return to_e164(text) if text else text


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=Escalation.Outcome.choices)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
