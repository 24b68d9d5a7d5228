"""The engagements app's background jobs (core/background.py): importing an uploaded engagement file."""

from __future__ import annotations

from certprep.core.background import JobKind, register
from certprep.core.storage import delete_on_commit
from certprep.engagements.models import EngagementImport
from certprep.engagements.tasks import import_engagement_file


def _discard(job: EngagementImport, last: bool) -> None:
    """A stopped attempt left nothing half imported (the import is one transaction); after the last attempt the
    waiting file is removed, as when an import ends."""
    if last and job.file.name:
        EngagementImport.objects.filter(pk=job.pk).update(file="")
        delete_on_commit([job.file.name])  # once the recovery's transaction has committed


KIND = register(
    JobKind(
        key="engagement_import",
        model=EngagementImport,
        task=import_engagement_file,
        max_attempts=2,
        restart_values={"current_step": ""},
        discard=_discard,
    )
)
