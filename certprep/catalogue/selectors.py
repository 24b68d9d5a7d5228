"""Reads for the catalogue: frameworks, their requirement trees and the process lenses over them.

Each read runs a fixed number of queries, whatever the size of the framework.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from certprep.catalogue.models import Framework, Process, ProcessGroup, ProcessLens, Requirement


def frameworks_with_counts() -> QuerySet[Framework]:
    """Every loaded framework with `assessable_count`: its current requirements that are rated."""
    return Framework.objects.annotate(
        assessable_count=Count("requirements", filter=Q(requirements__assessable=True, requirements__is_current=True))
    ).order_by("name")


def requirement_tree(framework: Framework, *, q: str = "", process: Process | None = None) -> list[Requirement]:
    """The framework's current requirements in document order, each with its `processes` prefetched.

    With `q`, only the requirements whose text (in any language, ref_id included) contains it, plus
    their ancestors so the tree still reads from the top. With `process`, only the requirements the
    process maps to, plus their ancestors. Both together narrow to requirements matching both.
    """
    requirements = list(Requirement.objects.filter(framework=framework, is_current=True).order_by("order", "pk"))
    wanted: set[int] | None = None
    query = q.strip().lower()
    if query:
        wanted = set(
            Requirement.objects.filter(framework=framework, is_current=True, search_text__icontains=query).values_list(
                "pk", flat=True
            )
        )
    if process is not None:
        mapped = set(process.requirements.filter(framework=framework).values_list("pk", flat=True))
        wanted = mapped if wanted is None else wanted & mapped
    if wanted is not None:
        parent_of = {requirement.pk: requirement.parent_id for requirement in requirements}
        shown: set[int] = set()
        for wanted_pk in wanted:
            pk: int | None = wanted_pk
            while pk is not None and pk not in shown and pk in parent_of:
                shown.add(pk)
                pk = parent_of[pk]
        requirements = [requirement for requirement in requirements if requirement.pk in shown]
    prefetch_related_objects(
        requirements, Prefetch("processes", queryset=Process.objects.select_related("group").order_by("order"))
    )
    return requirements


def lenses_for(framework: Framework) -> QuerySet[ProcessLens]:
    """The process lenses over a framework, with their groups and processes in order."""
    return (
        ProcessLens.objects.filter(framework=framework)
        .prefetch_related(
            Prefetch("groups", queryset=ProcessGroup.objects.order_by("order")),
            Prefetch("processes", queryset=Process.objects.select_related("group").order_by("order")),
        )
        .order_by("name")
    )


def lens_mapping(lens_id: int) -> ProcessLens:
    """A lens with its groups, processes and the current requirements each process maps to."""
    return (
        ProcessLens.objects.select_related("framework")
        .prefetch_related(
            Prefetch(
                "groups__processes",
                queryset=Process.objects.order_by("order").prefetch_related(
                    Prefetch("requirements", queryset=Requirement.objects.filter(is_current=True).order_by("order"))
                ),
            )
        )
        .get(pk=lens_id)
    )
