"""Reads for the catalogue: frameworks, their requirement trees and the process lenses over them.

Each read runs a fixed number of queries, whatever the size of the framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from certprep.catalogue.importers import parse_lens_file
from certprep.catalogue.models import Framework, Process, ProcessGroup, ProcessLens, Requirement, localized
from certprep.catalogue.search import text_matches


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
            Requirement.objects.filter(
                text_matches("search_text", query), framework=framework, is_current=True
            ).values_list("pk", flat=True)
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


def lens_process(framework: Framework, code: str) -> Process | None:
    """The process with this code in a lens over the framework, if any."""
    return Process.objects.filter(lens__framework=framework, code=code).first()


def lenses() -> QuerySet[ProcessLens]:
    """Every process lens, by name."""
    return ProcessLens.objects.order_by("name")


def lens_processes_of(lens: ProcessLens) -> list[Process]:
    """A lens's processes in order, with their group and the requirements each maps to (two queries)."""
    return list(lens.processes.select_related("group").prefetch_related("requirements").order_by("order"))


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


# --- The 13-process lens -------------------------------------------------------------------------------

# The lens the survey, the matrix, the people's roles and the gap analysis read the processes from. Its
# shipped YAML file is the only place the processes are named; nothing else in the code lists them.
PROCESS_LENS_URN = "urn:certprep:lens:iso-iec-20000-1-2005-processes"
PROCESS_LENS_FILE = Path(__file__).resolve().parent / "data" / "processes-2005.yaml"


@dataclass(frozen=True)
class LensProcess:
    """One process of the 13-process lens as plain data: its code, English name, group and translations."""

    code: str
    name: str
    group: str
    order: int
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The name in the active language."""
        return localized(self, "name")

    def name_in(self, language: str) -> str:
        """The name in one language ("" when the file has none for it)."""
        return str((self.translations.get(language) or {}).get("name") or "")


_lens_cache: dict[float, tuple[LensProcess, ...]] = {}


def lens_processes() -> tuple[LensProcess, ...]:
    """The 13 processes in lens order, read from the shipped lens file (no query; read again only when the
    file changes). Works before the catalogue is loaded into the database."""
    stamp = PROCESS_LENS_FILE.stat().st_mtime
    cached = _lens_cache.get(stamp)
    if cached is None:
        parsed = parse_lens_file(PROCESS_LENS_FILE.read_bytes())
        cached = tuple(
            LensProcess(code=p.code, name=p.name, group=p.group, order=n, translations=p.translations)
            for n, p in enumerate(parsed.processes)
        )
        _lens_cache.clear()
        _lens_cache[stamp] = cached
    return cached


def lens_process_codes() -> tuple[str, ...]:
    """The codes of the 13 processes, in lens order."""
    return tuple(process.code for process in lens_processes())


# A process code in API bodies and file parts, checked and described as one of the lens's codes. The codes are
# read from the lens file when this module loads, so the type can only be built then (and typed Any for mypy).
LensProcessCode: Any = Literal[lens_process_codes()]


def lens_process_names() -> dict[str, str]:
    """Process code -> name in the active language, in lens order."""
    return {process.code: process.label for process in lens_processes()}
