"""The documented-information checklist: status, owner, location and review date per document or record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.core.feedback import attempt, run_form
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.gaps.choices import DocumentKind, DocumentStatus
from certprep.gaps.forms import DocumentCreateForm, DocumentForm
from certprep.gaps.models import DocumentItem
from certprep.gaps.services import documents as services
from certprep.gaps.services.documents import split_refs
from certprep.gaps.views.common import context
from certprep.people.models import Person


def refs_text(item: DocumentItem) -> str:
    """The references of the requirements an item evidences, as typed (uses prefetched requirements)."""
    return ", ".join(dict.fromkeys(r.ref_id for r in sorted(item.requirements.all(), key=lambda r: r.order)))


@login_required
def checklist(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    items = (
        DocumentItem.objects.filter(engagement=engagement)
        .select_related("owner")
        .prefetch_related("requirements")
        .order_by("order", "pk")
    )
    if kind in DocumentKind.values:
        items = items.filter(kind=kind)
    if status == "unknown":
        items = items.filter(status="")
    elif status and status in DocumentStatus.values:
        items = items.filter(status=status)
    people = list(Person.objects.filter(engagement=engagement).order_by("name"))
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
            total=DocumentItem.objects.filter(engagement=engagement).count(),
        ),
    )


@login_required
@require_POST
def checklist_load(request: HttpRequest, engagement_id: int) -> HttpResponse:
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
def document_save(request: HttpRequest, engagement_id: int, item_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    item = get_object_or_404(DocumentItem.objects.select_related("engagement"), pk=item_id, engagement=engagement)
    people = list(Person.objects.filter(engagement=engagement).order_by("name"))
    form = DocumentForm(request.POST, prefix=f"d{item.pk}", people=people)
    conflict = False
    if form.is_valid():
        data = form.cleaned_data
        saved, conflict = run_form(
            form,
            lambda: services.document_update(
                item=item,
                actor=request.user,
                expected_version=data["expected_version"],
                status=data["status"],
                owner=next((p for p in people if p.pk == data["owner"]), None),
                location=data["location"],
                review_date=data["review_date"],
                notes=data["notes"],
                requirements=split_refs(data["requirements"]) if f"d{item.pk}-requirements" in request.POST else None,
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
def document_create(request: HttpRequest, engagement_id: int) -> HttpResponse:
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
def document_delete(request: HttpRequest, engagement_id: int, item_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    item = get_object_or_404(DocumentItem.objects.select_related("engagement"), pk=item_id, engagement=engagement)
    attempt(
        request, lambda: services.document_delete(item=item, actor=request.user), _("Item removed from the checklist.")
    )
    return redirect("gaps:documents", engagement.pk)
