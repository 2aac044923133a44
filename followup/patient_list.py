"""The patients list (search, filters, who needs attention first) and the CSV import page."""

from django import forms
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from followup import access, audit, audit_views, patient_import, patient_search
from followup.access import Right, can, requires
from followup.auth import AuthenticatedHttpRequest
from followup.models import Patient
from followup.pagination import paginate
from followup.protocol_assignment import AssignForm

# A file is checked, then imported, each in one request: every new row plans a patient's
# check-ins, and a request must end well inside the server's 30 s timeout, on a slow day too.
# A bigger file goes through `manage.py import_patients`.
MAX_ROWS = 500
MAX_UPLOAD = 4 * 1024 * 1024


class ListForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Name, MRN or phone")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *patient_search.STATUSES.items()]
    )

    def __init__(
        self, data: QueryDict, teams: list[tuple[int, str]], surgeons: list[tuple[int, str]]
    ) -> None:
        super().__init__(data)
        # Only the user's own teams, and surgeons of patients she can see.
        self.fields["team"] = patient_search.filter_choice(teams, "All my teams")
        self.fields["surgeon"] = patient_search.filter_choice(surgeons, "Any surgeon")


@requires(Right.READ_DASHBOARD)
def patient_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = access.visible(Patient.objects.all(), request.user)
    form = ListForm(
        request.GET,
        teams=patient_search.team_choices(access.teams_of(request.user)),
        surgeons=[(s.pk, str(s)) for s in patient_search.surgeons(visible)],
    )
    # A field that does not parse is ignored; the others still apply.
    form.is_valid()
    data = form.cleaned_data
    filters = patient_search.Filters(
        query=data.get("q") or "",
        team=data.get("team"),
        surgeon=data.get("surgeon"),
        status=data.get("status") or "",
    )
    page, query = paginate(request.GET, patient_search.find(visible, filters))
    now = timezone.now()
    rows = [
        (p, patient_search.postop_day(p, now), patient_search.status_labels(p))
        for p in page.object_list
    ]
    response = render(
        request,
        "patients/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            # Ticking patients onto a protocol: for those who may change protocols.
            "assign_form": AssignForm(user=request.user)
            if can(request.user, Right.EDIT_PROTOCOLS)
            else None,
        },
    )
    audit_views.viewed(
        request, audit.VIEW_PATIENT_LIST, [p.pk for p, _, _ in rows], detail=filters.query[:100]
    )
    return response


class ImportForm(forms.Form):
    file = forms.FileField(required=False, label="CSV file")
    # The checked file, carried to the confirmation so it is not uploaded twice.
    csv = forms.CharField(required=False, widget=forms.Textarea(attrs={"hidden": True}))
    skip_invalid = forms.BooleanField(required=False, label="Skip the invalid rows")
    update = forms.BooleanField(required=False, label="Update the changed patients")


@requires(Right.RECORD_CONSENT)
def patient_import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload, text = form.cleaned_data["file"], form.cleaned_data["csv"]
        confirming = upload is None and bool(text)
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                form.add_error("file", "The file is larger than 4 MB: use import_patients.")
                return render(request, "patients/import.html", context)
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", "Save the file as CSV in UTF-8.")
                return render(request, "patients/import.html", context)
        try:
            rows = patient_import.check(text, access.teams_of(request.user), MAX_ROWS)
        except patient_import.BadFile as error:
            form.add_error("file", str(error))
            return render(request, "patients/import.html", context)
        if not rows:
            # The command line takes an empty file as nothing to do; here it is a mistake.
            form.add_error("file", "The file has its header but no patient rows under it.")
            return render(request, "patients/import.html", context)
        context |= {
            "rows": rows,
            "counts": {
                outcome: sum(row.outcome == outcome for row in rows)
                for outcome in (
                    patient_import.NEW,
                    patient_import.SAME,
                    patient_import.CHANGED,
                    patient_import.INVALID,
                )
            },
            "confirm": ImportForm(initial={"csv": text}),
        }
        if confirming:
            context["result"] = patient_import.save(
                rows,
                request.user,
                form.cleaned_data["skip_invalid"],
                form.cleaned_data["update"],
                origin=audit_views.origin(request),
            )
    return render(request, "patients/import.html", context)
