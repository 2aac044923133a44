"""Protocols in the web app: surgeons save new versions, preview them and move patients over."""

import dataclasses
import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from followup.models import (
    Enrollment,
    Patient,
    Protocol,
    ProtocolStep,
    Question,
    User,
    validate_time_zone,
)
from followup.scheduling import due_time, replan_checkins
from followup.wording import render_checklist, render_message

StepChannel = ProtocolStep.StepChannel
MAX_POSTOP_DAY = 365
SAMPLE_TIME_ZONE = "America/Chicago"
EDITORS = (User.Role.SURGEON, User.Role.ADMIN)
ACTIVE_ENROLLMENTS = Q(enrollments__status=Enrollment.Status.ACTIVE)


class ProtocolError(Exception):
    """A save to redo: the name is taken, a colleague saved a newer version, or nothing changed."""


@dataclasses.dataclass(frozen=True)
class StepSpec:
    postop_day: int
    send_time: dt.time
    channel: str
    questions: tuple[str, ...]
    numbered: bool = False

    @classmethod
    def of(cls, step: ProtocolStep) -> "StepSpec":
        return cls(
            step.postop_day, step.send_time, step.channel, tuple(step.questions), step.numbered
        )

    def initial(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "questions": list(self.questions)}

    def channel_label(self) -> str:
        return str(StepChannel(self.channel).label)

    def question_labels(self) -> list[str]:
        return [str(Question(code).label) for code in self.questions]


@dataclasses.dataclass(frozen=True)
class PreviewRow:
    step: StepSpec
    day: dt.date
    due: dt.datetime  # local to the sample patient

    @property
    def moved(self) -> bool:
        """Quiet hours (or a daylight-saving gap) moved it off the step's time."""
        return self.due.replace(tzinfo=None) != dt.datetime.combine(self.day, self.step.send_time)


@dataclasses.dataclass(frozen=True)
class Wording:
    code: str
    label: str
    en: str
    es: str


@dataclasses.dataclass(frozen=True)
class Preview:
    surgery_date: dt.date
    time_zone: str
    rows: list[PreviewRow]
    wording: list[Wording]


def steps_of(protocol: Protocol) -> list[StepSpec]:
    return [StepSpec.of(step) for step in protocol.steps.all()]


def protocol_versions() -> dict[str, list[Protocol]]:
    """Every version by protocol name, oldest first, each with its count of active enrollments."""
    versions: dict[str, list[Protocol]] = {}
    for protocol in (
        Protocol.objects.select_related("owner")
        .annotate(active=Count("enrollments", filter=ACTIVE_ENROLLMENTS))
        .order_by("name", "version")
    ):
        versions.setdefault(protocol.name, []).append(protocol)
    return versions


def older_versions(protocol: Protocol) -> QuerySet[Protocol]:
    return Protocol.objects.filter(name=protocol.name, version__lt=protocol.version)


def active_on_older_versions(protocol: Protocol) -> QuerySet[Protocol]:
    """Older versions of `protocol` that active enrollments still follow, with their counts."""
    return (
        older_versions(protocol)
        .annotate(active=Count("enrollments", filter=ACTIVE_ENROLLMENTS))
        .filter(active__gt=0)
        .order_by("version")
    )


def preview(steps: Iterable[StepSpec], surgery_date: dt.date, time_zone: str) -> Preview:
    """When each step would go out for a sample surgery, and each question's wording."""
    # An unsaved patient with the default quiet hours: times move exactly as planning moves them.
    patient = Patient(time_zone=time_zone)
    steps = list(steps)
    rows = []
    for step in steps:
        day = surgery_date + dt.timedelta(days=step.postop_day)
        due = due_time(patient, day, step.send_time).astimezone(patient.tz)
        rows.append(PreviewRow(step, day, due))
    used = {code for step in steps for code in step.questions}
    wording = [
        Wording(
            code,
            str(label),
            render_message(f"question_{code}", "en"),
            render_message(f"question_{code}", "es"),
        )
        for code, label in Question.choices
        if code in used
    ]
    numbered = [step for step in steps if step.numbered]
    if numbered:
        items = [q for q in Question.values if any(q in s.questions for s in numbered)]
        items = [q for q in items if q not in (Question.GENERAL, Question.PAIN)]
        pain = any(Question.PAIN in s.questions for s in numbered)
        wording.append(
            Wording(
                Question.CHECKLIST,
                str(Question.CHECKLIST.label),
                render_checklist(items, pain, "en"),
                render_checklist(items, pain, "es"),
            )
        )
    return Preview(surgery_date, time_zone, rows, wording)


def _create_steps(protocol: Protocol, steps: Iterable[StepSpec]) -> None:
    ProtocolStep.objects.bulk_create(
        ProtocolStep(
            protocol=protocol,
            postop_day=step.postop_day,
            send_time=step.send_time,
            channel=step.channel,
            questions=list(step.questions),
            numbered=step.numbered,
        )
        for step in steps
    )


@transaction.atomic
def create_protocol(name: str, steps: list[StepSpec], user: User) -> Protocol:
    try:
        with transaction.atomic():
            protocol = Protocol.objects.create(name=name, version=1, owner=user)
    except IntegrityError:
        raise ProtocolError(f"A protocol named {name!r} already exists.") from None
    _create_steps(protocol, steps)
    return protocol


@transaction.atomic
def save_new_version(protocol: Protocol, steps: list[StepSpec], user: User) -> Protocol:
    """Save `steps` as the version after `protocol`; versions that enrollments follow never change.

    The new version is not the default even when `protocol` is: the default stays a fixed row.
    """
    # Locking every version makes a second surgeon saving at the same time wait, then re-read
    # the latest version below (a new statement sees the first one's commit) and be told.
    list(Protocol.objects.select_for_update().filter(name=protocol.name))
    latest = Protocol.objects.filter(name=protocol.name).aggregate(Max("version"))["version__max"]
    if latest != protocol.version:
        raise ProtocolError(
            f"Version {latest} was saved while you were editing version {protocol.version}: "
            "open the latest version and make your change there."
        )
    if steps_of(protocol) == sorted(steps, key=lambda step: step.postop_day):
        raise ProtocolError(f"Nothing changed since version {protocol.version}.")
    new = Protocol.objects.create(name=protocol.name, version=latest + 1, owner=user)
    _create_steps(new, steps)
    return new


@transaction.atomic
def move_enrollments(old_versions: Iterable[Protocol], new_protocol: Protocol) -> int:
    """Move the active enrollments on `old_versions` to `new_protocol`; re-plan unsent check-ins."""
    enrollments = (
        Enrollment.objects.select_for_update(of=("self",))
        .filter(protocol__in=list(old_versions), status=Enrollment.Status.ACTIVE)
        .exclude(protocol=new_protocol)
        .select_related("patient", "surgery")
    )
    moved = 0
    for enrollment in enrollments:
        enrollment.protocol = new_protocol
        enrollment.save(update_fields=["protocol"])
        replan_checkins(enrollment)
        moved += 1
    return moved


class StepForm(forms.Form):
    postop_day = forms.IntegerField(label="Post-op day", min_value=0, max_value=MAX_POSTOP_DAY)
    send_time = forms.TimeField(
        label="Local time",
        initial=dt.time(10, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    channel = forms.ChoiceField(choices=StepChannel.choices, initial=StepChannel.PREFERRED)
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


class BaseStepFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "A protocol needs at least one step.",
        "too_many_forms": f"A protocol has at most {MAX_POSTOP_DAY + 1} steps, one a day.",
    }

    @classmethod
    def get_default_prefix(cls) -> str:
        return "steps"

    def kept_forms(self) -> list[forms.Form]:
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


StepFormSet = forms.formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=MAX_POSTOP_DAY + 1,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
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


def can_edit(user: Any) -> bool:
    return getattr(user, "role", None) in EDITORS


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page), and a surgeon or administrator (else 403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_edit(request.user):
            raise PermissionDenied("Only surgeons and administrators change protocols.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@login_required
def protocol_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "protocols/list.html",
        {"protocols": protocol_versions(), "can_edit": can_edit(request.user)},
    )


@login_required
def protocol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = get_object_or_404(Protocol.objects.select_related("owner"), pk=pk)
    preview_form = PreviewForm(request.GET or None)
    sample = preview_form.sample()
    steps = steps_of(protocol)
    return render(
        request,
        "protocols/detail.html",
        {
            "protocol": protocol,
            "latest": Protocol.objects.latest_version(protocol.name),
            "steps": steps,
            "preview_form": preview_form,
            "preview": preview(steps, *sample) if sample else None,
            "can_edit": can_edit(request.user),
        },
    )


def _editor(
    request: HttpRequest,
    context: dict[str, Any],
    initial: list[StepSpec],
    save: Callable[[list[StepSpec], str], HttpResponse],
    with_name: str | None = None,
) -> HttpResponse:
    """The edit page: Preview re-renders it with dates and wording, Save calls `save`.

    `with_name` is the suggested name of a new protocol; existing protocols keep theirs.
    """
    post = request.POST if request.method == "POST" else None
    formset = StepFormSet(post, initial=None if post else [s.initial() for s in initial])
    name_form = (
        ProtocolNameForm(post, initial={"name": with_name}) if with_name is not None else None
    )
    preview_form = PreviewForm(post)
    result, error = None, None
    action = post.get("action") if post is not None else None
    if action == "preview":
        sample = preview_form.sample() if formset.is_valid() else None
        if sample:
            result = preview(formset.steps(), *sample)
            # Rebuilt from what was checked, in day order, with a blank row for one more step.
            formset = StepFormSet(initial=[step.initial() for step in formset.steps()])
        if name_form is not None:
            # Naming is for saving: a preview does not complain about it.
            name_form = ProtocolNameForm(initial={"name": post.get("name", "")})
    elif action == "save":
        names_valid = name_form is None or name_form.is_valid()
        if formset.is_valid() and names_valid:
            name = name_form.cleaned_data["name"] if name_form is not None else ""
            try:
                return save(formset.steps(), name)
            except ProtocolError as exc:
                error = str(exc)
    context |= {
        "formset": formset,
        "name_form": name_form,
        "preview_form": preview_form,
        "preview": result,
        "error": error,
    }
    return render(request, "protocols/edit.html", context)


@editor_required
def protocol_new(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    source = get_object_or_404(Protocol, pk=pk) if pk is not None else Protocol.objects.default()

    def save(steps: list[StepSpec], name: str) -> HttpResponse:
        protocol = create_protocol(name, steps, request.user)
        messages.success(request, f"Saved {protocol}.")
        return redirect("protocol-detail", protocol.pk)

    suggested = f"{source.name} (copy)" if pk is not None and source else ""
    context = {"source": source, "protocol": None}
    return _editor(request, context, steps_of(source) if source else [], save, suggested)


@editor_required
def protocol_edit(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = get_object_or_404(Protocol.objects.select_related("owner"), pk=pk)
    if request.method != "POST":
        latest = Protocol.objects.latest_version(protocol.name)
        if latest.pk != protocol.pk:
            return redirect("protocol-edit", latest.pk)

    def save(steps: list[StepSpec], name: str) -> HttpResponse:
        new = save_new_version(protocol, steps, request.user)
        if active_on_older_versions(new).exists():
            return redirect("protocol-move", new.pk)
        messages.success(request, f"Saved version {new.version}.")
        return redirect("protocol-detail", new.pk)

    context = {"source": protocol, "protocol": protocol}
    return _editor(request, context, steps_of(protocol), save)


@editor_required
def protocol_move(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = get_object_or_404(Protocol, pk=pk)
    latest = Protocol.objects.latest_version(protocol.name)
    if latest.pk != protocol.pk:
        messages.error(request, f"Version {latest.version} is newer: move patients to that one.")
        return redirect("protocol-detail", latest.pk)
    if request.method == "POST":
        if request.POST.get("choice") == "move":
            # All older versions, not only those shown: someone may have enrolled a patient since.
            moved = move_enrollments(older_versions(protocol), protocol)
            messages.success(
                request,
                f"Moved {moved} patient{'s' if moved != 1 else ''} to version {protocol.version}; "
                "their unsent check-ins follow it now.",
            )
        else:
            messages.info(request, "Patients on older versions stay on them.")
        return redirect("protocol-detail", protocol.pk)
    older = list(active_on_older_versions(protocol))
    if not older:
        return redirect("protocol-detail", protocol.pk)
    return render(
        request,
        "protocols/move.html",
        {"protocol": protocol, "older": older, "count": sum(v.active for v in older)},
    )
