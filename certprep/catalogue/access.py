"""The door to the catalogue's objects, for pages and API alike. The catalogue is shared by every engagement:
any signed-in user reads it, and an unknown id is not found (404)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from certprep.catalogue import selectors
from certprep.catalogue.models import Framework, Process, ProcessLens


def framework_for(pk: int) -> Framework:
    """The framework with its `assessable_count`."""
    return get_object_or_404(selectors.frameworks_with_counts(), pk=pk)


def lens_process_for(framework: Framework, code: str) -> Process:
    """The process of a lens over the framework with this code."""
    return get_object_or_404(Process, lens__framework=framework, code=code)


def lens_for(pk: int) -> ProcessLens:
    """The lens with its groups, processes and the current requirements each maps to (the lens page)."""
    try:
        return selectors.lens_mapping(pk)
    except ProcessLens.DoesNotExist as exc:
        raise Http404 from exc


def lens_of(pk: int) -> ProcessLens:
    """The lens itself (the API describes its processes from there)."""
    return get_object_or_404(ProcessLens, pk=pk)
