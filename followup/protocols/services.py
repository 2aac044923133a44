"""Protocol versions: reading them, previewing steps, saving new versions, moving enrollments."""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, QuerySet

from followup.models import (
    CareTeam,
    Enrollment,
    Patient,
    Protocol,
    ProtocolStep,
    Question,
    User,
)
from followup.scheduling import due_time, replan_checkins
from followup.wording import render_checklist, render_message

ACTIVE_ENROLLMENTS = Q(enrollments__status=Enrollment.Status.ACTIVE)


class ActiveCount(TypedDict):
    active: int  # enrollments following the version now


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    CountedProtocol = WithAnnotations[Protocol, ActiveCount]


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
        return str(dict(ProtocolStep.CHANNELS)[self.channel])

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


def with_active_count(
    protocols: QuerySet[Protocol], user: User | None = None
) -> "QuerySet[CountedProtocol]":
    """With `user`, only the enrollments of patients the user's teams treat count."""
    active = ACTIVE_ENROLLMENTS
    if user is not None:
        # A shared protocol's other teams' patients are not the user's to see, even as a count.
        active &= Q(enrollments__in=Enrollment.objects.for_user(user).values("pk"))
    return protocols.annotate(active=Count("enrollments", filter=active))


def protocol_versions(user: User) -> dict[str, list["CountedProtocol"]]:
    """Every version the user may see by protocol name, oldest first, with the active
    enrollments of the user's teams."""
    versions: dict[str, list[CountedProtocol]] = {}
    counted = with_active_count(Protocol.objects.for_user(user).select_related("owner"), user)
    for protocol in counted.order_by("name", "version"):
        versions.setdefault(protocol.name, []).append(protocol)
    return versions


def default_pk(user: User) -> int | None:
    """The version called "default": the latest of the default protocol's name."""
    default = Protocol.objects.for_user(user).default()
    return default.pk if default else None


def older_versions(protocol: Protocol) -> QuerySet[Protocol]:
    return Protocol.objects.filter(name=protocol.name, version__lt=protocol.version)


def active_on_older_versions(
    protocol: Protocol, user: User | None = None
) -> "QuerySet[CountedProtocol]":
    """Older versions of `protocol` that active enrollments still follow, with their counts.

    With `user`, only the enrollments of patients the user's teams treat count.
    """
    counted = with_active_count(older_versions(protocol), user)
    return counted.filter(active__gt=0).order_by("version")


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
def create_protocol(
    name: str, steps: list[StepSpec], user: User, team: CareTeam | None = None
) -> Protocol:
    """A new protocol of `team` (by default the user's team when there is one), version 1."""
    if team is None and not user.is_superuser:
        team = user.care_teams.order_by("name").first()
    try:
        with transaction.atomic():
            protocol = Protocol.objects.create(name=name, version=1, owner=user, care_team=team)
    except IntegrityError:
        raise ProtocolError(f"A protocol named {name!r} already exists.") from None
    _create_steps(protocol, steps)
    return protocol


@transaction.atomic
def save_new_version(protocol: Protocol, steps: list[StepSpec], user: User) -> Protocol:
    """Save `steps` as the version after `protocol`; versions that enrollments follow never change.

    The default stays a marked row, but "default" names the latest version of its name
    (see `default_pk`), so a new version of the default protocol is what new patients get.
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
    new = Protocol.objects.create(
        name=protocol.name, version=latest + 1, owner=user, care_team=protocol.care_team
    )
    _create_steps(new, steps)
    return new


@transaction.atomic
def move_enrollments(
    old_versions: Iterable[Protocol], new_protocol: Protocol, user: User | None = None
) -> int:
    """Move the active enrollments on `old_versions` to `new_protocol`; re-plan unsent check-ins.

    With `user`, only the patients of the user's teams move: a shared protocol's other teams
    decide for their own patients.
    """
    scoped = Enrollment.objects.all() if user is None else Enrollment.objects.for_user(user)
    enrollments = (
        scoped.select_for_update(of=("self",))
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
