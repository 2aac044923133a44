"""Forms of the protocol editor: the steps, a new protocol's name and the sample for previews."""

import datetime as dt
import zoneinfo
from collections import Counter
from typing import TYPE_CHECKING, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from followup.models import Protocol, ProtocolStep, Question, validate_time_zone
from followup.protocols.services import StepSpec

MAX_POSTOP_DAY = 365
SAMPLE_TIME_ZONE = "America/Chicago"


class StepForm(forms.Form):
    postop_day = forms.IntegerField(label="Post-op day", min_value=0, max_value=MAX_POSTOP_DAY)
    send_time = forms.TimeField(
        label="Local time",
        initial=dt.time(10, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    channel = forms.ChoiceField(choices=ProtocolStep.CHANNELS, initial=ProtocolStep.PREFERRED)
    numbered = forms.BooleanField(
        required=False,
        label="By text, as one numbered form",
        help_text="Symptom questions at once: the patient replies with the numbers that apply.",
    )
    questions = forms.MultipleChoiceField(
        choices=[(code, label) for code, label in Question.choices if code != "checklist"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one question."},
    )

    def clean_questions(self) -> list[str]:
        codes: list[str] = self.cleaned_data["questions"]
        if len(set(codes)) != len(codes):
            raise ValidationError("A question may appear only once.")
        # Patients are asked in catalogue order: general first, then symptoms, wound last.
        return sorted(codes, key=Question.values.index)


if TYPE_CHECKING:
    # BaseFormSet is generic only in the stubs: Django cannot subscript it at runtime.
    _FormSet = forms.BaseFormSet[StepForm]
else:
    _FormSet = forms.BaseFormSet


class BaseStepFormSet(_FormSet):
    default_error_messages = {
        "too_few_forms": "A protocol needs at least one step.",
        "too_many_forms": f"A protocol has at most {MAX_POSTOP_DAY + 1} steps, one a day.",
    }

    @classmethod
    def get_default_prefix(cls) -> str:
        return "steps"

    def kept_forms(self) -> list[StepForm]:
        return [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        days = Counter(form.cleaned_data["postop_day"] for form in self.kept_forms())
        repeated = sorted(day for day, count in days.items() if count > 1)
        if repeated:
            for form in self.kept_forms():
                if form.cleaned_data["postop_day"] in repeated:
                    form.add_error("postop_day", "Another step is on this day.")
            listed = ", ".join(str(day) for day in repeated)
            raise ValidationError(f"One check-in per post-op day: day {listed} has more than one.")

    def steps(self) -> list[StepSpec]:
        """The steps kept, by post-op day; only once the formset is valid."""
        return sorted(
            (
                StepSpec(
                    form.cleaned_data["postop_day"],
                    form.cleaned_data["send_time"],
                    form.cleaned_data["channel"],
                    tuple(form.cleaned_data["questions"]),
                    form.cleaned_data.get("numbered", False),
                )
                for form in self.kept_forms()
            ),
            key=lambda step: step.postop_day,
        )


# The stub of formset_factory returns BaseFormSet, but the class made subclasses `formset`.
StepFormSet = cast(
    "type[BaseStepFormSet]",
    forms.formset_factory(
        StepForm,
        formset=BaseStepFormSet,
        extra=1,
        min_num=1,
        validate_min=True,
        max_num=MAX_POSTOP_DAY + 1,
        validate_max=True,
        can_delete=True,
        can_delete_extra=False,
    ),
)


class ProtocolNameForm(forms.Form):
    name = forms.CharField(max_length=100)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        # Versions are grouped by name: "Lumbar" and "lumbar" would look like one protocol.
        if Protocol.objects.filter(name__iexact=name).exists():
            raise ValidationError("A protocol has this name: edit that one or pick another name.")
        return name


def _sample_today() -> dt.date:
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(SAMPLE_TIME_ZONE))


class PreviewForm(forms.Form):
    sample_surgery_date = forms.DateField(
        label="Sample surgery date",
        initial=_sample_today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sample_time_zone = forms.CharField(
        label="Sample time zone",
        max_length=64,
        initial=SAMPLE_TIME_ZONE,
        validators=[validate_time_zone],
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )

    def clean_sample_surgery_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["sample_surgery_date"]
        # Far-off dates overflow once a year of post-op days is added, and mean nothing here.
        if abs((day - _sample_today()).days) > 3660:
            raise ValidationError("Pick a date within ten years of today.")
        return day

    def sample(self) -> tuple[dt.date, str] | None:
        """The sample surgery date and time zone: the defaults until some are sent."""
        if not self.is_bound:
            return _sample_today(), SAMPLE_TIME_ZONE
        if self.is_valid():
            return self.cleaned_data["sample_surgery_date"], self.cleaned_data["sample_time_zone"]
        return None
