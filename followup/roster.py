"""The roster: who is on call or backup for a care team at a moment, its gaps, and its edits."""

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Exists, Model, OuterRef, QuerySet

from followup import kept_queries
from followup.models import CareTeam, Shift, User

M = TypeVar("M", bound=Model)

Role = Shift.Role


def on_duty(team: CareTeam, role: str, when: dt.datetime) -> User | None:
    """The clinician holding this role at `when`; the latest-starting shift wins a handover."""
    if not team.shifts.exists():
        return _fixed(team, role)
    covering = Shift.objects.covering(when).filter(care_team=team, role=role)
    return _holder(covering.select_related("user"), role, when)


def _fixed(team: CareTeam, role: str) -> User | None:
    # A team never rostered keeps its fixed pair (deprecated fields) until it is.
    return team.on_call if role == Role.ON_CALL else team.backup


def _fixed_gaps(
    team: CareTeam, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    return [] if team.on_call_id is not None else [(start, end)]


def _holder(shifts: Iterable[Shift], role: str, when: dt.datetime) -> User | None:
    """Of `shifts`, who holds `role` at `when`: the latest-starting shift wins a handover."""
    covering = [
        shift
        for shift in shifts
        if shift.role == role
        and shift.starts_at <= when
        and (shift.ends_at is None or shift.ends_at > when)
    ]
    latest = max(covering, key=lambda shift: (shift.starts_at, shift.pk), default=None)
    return latest.user if latest else None


def on_call(team: CareTeam, when: dt.datetime) -> User | None:
    return on_duty(team, Role.ON_CALL, when)


def backup(team: CareTeam, when: dt.datetime) -> User | None:
    return on_duty(team, Role.BACKUP, when)


def team_leads(team: CareTeam) -> list[User]:
    """Who is paged when the roster has nobody: the team's active team leads."""
    leads = team.members.filter(role=User.Role.TEAM_LEAD, is_active=True).order_by("pk")
    return list(leads)


def gaps(
    team: CareTeam, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Stretches between `start` and `end` with nobody on call, in order."""
    if not team.shifts.exists():
        return _fixed_gaps(team, start, end)
    shifts = Shift.objects.filter(care_team=team, role=Role.ON_CALL, starts_at__lt=end).exclude(
        ends_at__lte=start
    )
    return _uncovered(shifts.order_by("starts_at"), start, end)


def _uncovered(
    shifts: Iterable[Shift], start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The stretches of `start`-`end` that on-call `shifts` (in order of start) leave open."""
    found: list[tuple[dt.datetime, dt.datetime]] = []
    covered_to = start
    for shift in shifts:
        if shift.starts_at > covered_to:
            found.append((covered_to, shift.starts_at))
        if shift.ends_at is None:
            return found
        covered_to = max(covered_to, shift.ends_at)
        if covered_to >= end:
            return found
    return [*found, (covered_to, end)]


@dataclass(frozen=True)
class Coverage:
    """A team's roster as the dashboard and the roster page show it."""

    team: CareTeam
    on_call: User | None
    backup: User | None
    gaps: list[tuple[dt.datetime, dt.datetime]]


def coverage(
    teams: QuerySet[CareTeam],
    now: dt.datetime,
    ahead: dt.timedelta,
    kept: Hashable | None = None,
) -> list[Coverage]:
    """Who is on call and backup now for each team, and its gaps from now until `ahead`: by the
    rules on_duty and gaps follow, in two queries however many teams (the teams, and their
    shifts from now to `ahead`). A caller that asks again and again (the dashboard) names what
    shapes `teams` as `kept`, and the two statements are compiled once per process
    (followup/kept_queries.py)."""
    end = now + ahead

    def listed_at(at: dt.datetime) -> QuerySet[CareTeam]:
        return teams.select_related("on_call", "backup").annotate(
            rostered=Exists(Shift.objects.filter(care_team=OuterRef("pk")))
        )

    def shifts_at(at: dt.datetime) -> QuerySet[Shift]:
        return (
            Shift.objects.filter(care_team__in=list(shifts), starts_at__lte=at + ahead)
            .exclude(ends_at__lte=at)
            .select_related("user")
            .order_by("starts_at", "pk")
        )

    def read(key: Hashable, build: Callable[[dt.datetime], QuerySet[M]]) -> list[M]:
        if kept is None:
            return list(build(now))
        return kept_queries.rows((kept, key), now, build)

    listed = read("teams", listed_at)
    shifts: dict[int, list[Shift]] = {team.pk: [] for team in listed}
    # The teams' ids are written into the statement: other teams, another statement.
    for shift in read(("shifts", *shifts), shifts_at):
        shifts[shift.care_team_id].append(shift)
    found = []
    for team in listed:
        if not team.rostered:  # type: ignore[attr-defined]
            fixed = (_fixed(team, Role.ON_CALL), _fixed(team, Role.BACKUP))
            found.append(Coverage(team, *fixed, _fixed_gaps(team, now, end)))
            continue
        held = shifts[team.pk]
        on_call_shifts = [s for s in held if s.role == Role.ON_CALL and s.starts_at < end]
        found.append(
            Coverage(
                team,
                _holder(held, Role.ON_CALL, now),
                _holder(held, Role.BACKUP, now),
                _uncovered(on_call_shifts, now, end),
            )
        )
    return found


def add_shift(
    team: CareTeam, user: User, role: str, starts_at: dt.datetime, ends_at: dt.datetime | None
) -> Shift:
    """Put a member of the team on the roster; only members with a phone can be paged."""
    if not team.members.filter(pk=user.pk).exists():
        raise ValidationError(f"{user} is not a member of {team}.")
    if not user.phone:
        raise ValidationError(f"{user} has no phone number to page.")
    # Compared as instants: two times of one zone compare by their wall clocks, and across a
    # spring-forward gap the later clock time can be the earlier instant.
    if ends_at is not None and ends_at.timestamp() <= starts_at.timestamp():
        raise ValidationError("A shift must end after it starts.")
    return Shift.objects.create(
        care_team=team, user=user, role=role, starts_at=starts_at, ends_at=ends_at
    )


def end_shift(shift: Shift, now: dt.datetime) -> bool:
    """Delete a shift that has not started; end one under way now; False if already over."""
    if shift.starts_at >= now:
        shift.delete()
        return True
    # Pages already sent stay acknowledgeable: paged_escalation goes by the number paged.
    ongoing = Shift.objects.filter(pk=shift.pk).exclude(ends_at__lte=now)
    return ongoing.update(ends_at=now) == 1
