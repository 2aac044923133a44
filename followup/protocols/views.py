"""Protocol pages: the list, one version, the editor, moving and assigning patients."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from followup import audit, audit_views
from followup.access import Right, can, requires
from followup.auth import AuthenticatedHttpRequest
from followup.models import Protocol, ProtocolQuerySet, User
from followup.protocol_assignment import AssignForm, assign_protocol
from followup.protocols.forms import PreviewForm, ProtocolNameForm, StepFormSet
from followup.protocols.services import (
    ProtocolError,
    StepSpec,
    active_on_older_versions,
    create_protocol,
    default_pk,
    move_enrollments,
    older_versions,
    preview,
    protocol_versions,
    save_new_version,
    steps_of,
    with_active_count,
)


def can_edit(user: User) -> bool:
    return can(user, Right.EDIT_PROTOCOLS)


def _visible(request: AuthenticatedHttpRequest) -> ProtocolQuerySet:
    """The shared protocols and those of the user's teams; another team's answers 404."""
    return Protocol.objects.for_user(request.user)


# Signed in (else the login page), and allowed to change protocols (else 403 with the reason).
editor_required = requires(Right.EDIT_PROTOCOLS)


@requires(Right.READ_PROTOCOLS)
def protocol_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "protocols/list.html",
        {
            "protocols": protocol_versions(request.user),
            "default_pk": default_pk(request.user),
            "can_edit": can_edit(request.user),
        },
    )


@requires(Right.READ_PROTOCOLS)
def protocol_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    counted = with_active_count(_visible(request).select_related("owner"), request.user)
    protocol = get_object_or_404(counted, pk=pk)
    preview_form = PreviewForm(request.GET or None)
    sample = preview_form.sample()
    steps = steps_of(protocol)
    return render(
        request,
        "protocols/detail.html",
        {
            "protocol": protocol,
            "latest": _visible(request).latest_version(protocol.name),
            "default_pk": default_pk(request.user),
            "steps": steps,
            "preview_form": preview_form,
            "preview": preview(steps, *sample) if sample else None,
            "can_edit": can_edit(request.user),
        },
    )


def _editor(
    request: AuthenticatedHttpRequest,
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
            name_form = ProtocolNameForm(initial={"name": request.POST.get("name", "")})
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
def protocol_new(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    source = (
        get_object_or_404(_visible(request), pk=pk)
        if pk is not None
        else Protocol.objects.default()
    )

    def save(steps: list[StepSpec], name: str) -> HttpResponse:
        protocol = create_protocol(name, steps, request.user)
        audit_views.acted(request, audit.EDIT_PROTOCOL, None, f"created protocol {protocol.pk}")
        messages.success(request, f"Saved {protocol}.")
        return redirect("protocol-detail", protocol.pk)

    suggested = f"{source.name} (copy)" if pk is not None and source else ""
    context = {"source": source, "protocol": None}
    return _editor(request, context, steps_of(source) if source else [], save, suggested)


@editor_required
def protocol_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    protocol = get_object_or_404(_visible(request).select_related("owner"), pk=pk)
    if request.method != "POST":
        latest = _visible(request).latest_version(protocol.name)
        if latest.pk != protocol.pk:
            return redirect("protocol-edit", latest.pk)

    def save(steps: list[StepSpec], name: str) -> HttpResponse:
        new = save_new_version(protocol, steps, request.user)
        audit_views.acted(
            request, audit.EDIT_PROTOCOL, None, f"protocol {protocol.pk}: version {new.pk}"
        )
        if active_on_older_versions(new, request.user).exists():
            return redirect("protocol-move", new.pk)
        messages.success(request, f"Saved version {new.version}.")
        return redirect("protocol-detail", new.pk)

    context = {"source": protocol, "protocol": protocol}
    return _editor(request, context, steps_of(protocol), save)


@editor_required
def protocol_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    protocol = get_object_or_404(_visible(request), pk=pk)
    latest = _visible(request).latest_version(protocol.name)
    if latest.pk != protocol.pk:
        messages.error(request, f"Version {latest.version} is newer: move patients to that one.")
        return redirect("protocol-detail", latest.pk)
    if request.method == "POST":
        if request.POST.get("choice") == "move":
            # All older versions, not only those shown: someone may have enrolled a patient since.
            moved = move_enrollments(older_versions(protocol), protocol, request.user)
            audit_views.acted(
                request,
                audit.MOVE_TO_PROTOCOL,
                None,
                f"moved {moved} patient(s) to protocol {protocol.pk}",
            )
            messages.success(
                request,
                f"Moved {moved} patient{'s' if moved != 1 else ''} to version {protocol.version}; "
                "their unsent check-ins follow it now.",
            )
        else:
            messages.info(request, "Patients on older versions stay on them.")
        return redirect("protocol-detail", protocol.pk)
    older = list(active_on_older_versions(protocol, request.user))
    if not older:
        return redirect("protocol-detail", protocol.pk)
    return render(
        request,
        "protocols/move.html",
        {"protocol": protocol, "older": older, "count": sum(v.active for v in older)},
    )


@editor_required
@require_POST
def protocol_assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """From the patient list: the ticked patients onto one protocol version."""
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    else:
        protocol = form.cleaned_data["protocol"]
        done = assign_protocol(
            form.cleaned_data["patients"], protocol, request.user, audit_views.origin(request)
        )
        messages.success(request, done.summary(protocol))
    return redirect(_back_to_list(request))


def _back_to_list(request: AuthenticatedHttpRequest) -> str:
    # The same search and page again; re-encoded, so the field cannot point anywhere else.
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return reverse("patients") + (f"?{query}" if query else "")
