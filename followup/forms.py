"""Forms: phone input, and the nurse's acknowledge and resolve actions."""

from django import forms

from followup.models import Escalation
from followup.phones import to_e164


class PhoneFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return to_e164(value) if value else value


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=Escalation.Outcome.choices)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
