"""Who may open an import page: one rule for every page that brings a file into an engagement (the people
list, the responsibility matrix, an assessment workbook, and every import to come).

An import page exists to write into the engagement, so it is a write page like any other: editors and owners
open it; a viewer gets 403 on GET and POST alike (and the links to it are not shown to them); a non-member
gets 404. A viewer who wants the data exports it instead. The engagement import is not behind this door: it
writes into a new engagement, which the importer owns.
"""

from __future__ import annotations

from typing import Any

from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership

IMPORT_ROLE = Role.EDITOR


def engagement_for_import(user: Any, engagement_id: int) -> tuple[Engagement, Membership]:
    """The engagement and the caller's membership for an import page (GET or POST): 404 for non-members,
    403 below the editor role."""
    return engagement_for(user, engagement_id, role=IMPORT_ROLE)
