"""The documented-information checklist: status, owner, location and review date per document or record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, run_form
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.gaps.access import document_for
from certprep.gaps.changes import document_changes
from certprep.gaps.choices import DocumentKind, DocumentStatus
from certprep.gaps.forms import DocumentCreateForm, DocumentForm
from certprep.gaps.models import DocumentItem
from certprep.gaps.selectors.documents import checklist_items
from certprep.gaps.services import documents as services
from certprep.gaps.services.documents import split_refs
from certprep.gaps.views.common import context
from certprep.people.selectors import people_by_name


def refs_text(item: DocumentItem) -> str:
    """The references of the requirements an item evidences, as typed (uses prefetched requirements)."""
    return ", ".join(dict.fromkeys(r.ref_id for r in sorted(item.requirements.all(), key=lambda r: r.order)))


@login_required
def checklist(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    items = checklist_items(engagement, kind=kind, status=status)
    people = people_by_name(engagement)
    rows = [
        (
            item,
            DocumentForm(
                prefix=f"d{item.pk}",
                people=people,
                form_id=f"form-{item.pk}",
                initial={
                    "expected_version": item.version,
                    "status": item.status,
                    "requirements": refs_text(item),
                    "owner": item.owner_id,
                    "location": item.location,
                    "review_date": item.review_date,
                    "notes": item.notes,
                },
            ),
        )
        for item in items
    ]
    return render(
        request,
        "gaps/documents.html",
        context(
            engagement,
            membership,
            "documents",
            rows=rows,
            kind=kind,
            status=status,
            kinds=DocumentKind.choices,
            statuses=[("unknown", _("Not checked")), *[(v, label) for v, label in DocumentStatus.choices if v]],
            create_form=DocumentCreateForm(),
            total=checklist_items(engagement).count(),
        ),
    )


@login_required
@require_POST
def checklist_load(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    attempt(
        request,
        lambda: services.checklist_load(engagement=engagement, actor=request.user),
        lambda n: (
            ngettext("%(n)s item added from the shipped checklist.", "%(n)s items added from the shipped checklist.", n)
            % {"n": n}
            if n
            else _("The checklist already holds every shipped item.")
        ),
    )
    return redirect("gaps:documents", engagement.pk)


@login_required
@require_POST
def document_save(request: SignedInRequest, engagement_id: int, item_id: int) -> HttpResponse:
    item, membership = document_for(request.user, engagement_id, item_id, role=Role.EDITOR)
    engagement = item.engagement
    form = DocumentForm(request.POST, prefix=f"d{item.pk}", people=people_by_name(engagement))
    conflict = False
    if form.is_valid():
        data = form.cleaned_data
        sent = {name: data[name] for name in ("status", "owner", "location", "review_date", "notes")}
        if f"d{item.pk}-requirements" in request.POST:
            sent["requirements"] = split_refs(data["requirements"])
        saved, conflict = run_form(
            form,
            lambda: services.document_update(
                item=item,
                actor=request.user,
                expected_version=data["expected_version"],
                **document_changes(engagement, sent),
            ),
        )
        if saved is not None:
            messages.success(request, _('"%(name)s" saved.') % {"name": item.tr.name})
            return redirect(reverse("gaps:documents", args=[engagement.pk]) + f"#doc-{item.pk}")
    return render(
        request,
        "gaps/document_edit.html",
        context(engagement, membership, "documents", item=item, form=form, conflict=conflict),
        status=409 if conflict else 400,
    )


@login_required
@require_POST
def document_create(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = DocumentCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: services.document_create(
                engagement=engagement,
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                clause=data["clause"],
                requirements=split_refs(data["requirements"]),
            ),
            _("Item added to the checklist."),
        )
    else:
        messages.error(request, _("Give the item a name and choose document or record."))
    return redirect("gaps:documents", engagement.pk)


@login_required
@require_POST
def document_delete(request: SignedInRequest, engagement_id: int, item_id: int) -> HttpResponse:
    item, _m = document_for(request.user, engagement_id, item_id, role=Role.EDITOR)
    attempt(
        request, lambda: services.document_delete(item=item, actor=request.user), _("Item removed from the checklist.")
    )
    return redirect("gaps:documents", engagement_id)
