"""Predecessors as a page or a client names them, turned into the tasks the services link.

The plan page numbers its tasks in outline order (MS Project's task ID): "3FS+2d" names the task in row 3.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.planning.choices import LagUnit, LinkType
from certprep.planning.models import Task
from certprep.planning.notation import LinkSpec
from certprep.planning.services.tasks import PredecessorLink


def links_from_rows(rows: Sequence[Task], specs: Sequence[LinkSpec]) -> list[PredecessorLink]:
    """The predecessors that row numbers name (rows: the plan's tasks in outline order)."""
    links = []
    for spec in specs:
        if spec.row > len(rows):
            raise ServiceError(
                _("Row %(row)s: the plan has %(n)s tasks.") % {"row": spec.row, "n": len(rows)}, field="predecessors"
            )
        links.append(PredecessorLink(rows[spec.row - 1], spec.type, spec.lag, spec.unit))
    return links


def row_numbers(rows: Sequence[Task]) -> dict[int, int]:
    """Each task's row number (from 1) in `rows`, the plan's tasks in outline order: built once per page."""
    return {row.pk: n for n, row in enumerate(rows, 1)}


def rows_of(numbers: Mapping[int, int], task: Task) -> list[LinkSpec]:
    """The task's predecessors by row number (`numbers` from row_numbers), as its form shows them (links
    prefetched on the task)."""
    return [
        LinkSpec(numbers[link.predecessor_id], LinkType(link.type), link.lag, LagUnit(link.lag_unit))
        for link in task.predecessor_links.all()
        if link.predecessor_id in numbers
    ]
