"""The engagements app's background jobs (core/background.py): importing an uploaded engagement file."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage

from certprep.core.background import FINISHED, JobKind, register
from certprep.core.storage import delete_files, delete_on_commit, stored_under
from certprep.engagements.models import EngagementImport
from certprep.engagements.tasks import import_engagement_file


def _discard(job: EngagementImport, last: bool) -> None:
    """A stopped attempt left nothing half imported (the import is one transaction); after the last attempt the
    waiting file is removed, as when an import ends."""
    if last and job.file.name:
        EngagementImport.objects.filter(pk=job.pk).update(file="")
        delete_on_commit([job.file.name])  # once the recovery's transaction has committed


# How long an import stays shown (its status page and API answer); older ones are found no more, and swept.
SHOWN_FOR = datetime.timedelta(days=7)
# A file in the imports folder that no import names is removed once it is this old: younger, its import's row may
# not have committed yet (the file is stored first, in the same request).
ORPHAN_AFTER = datetime.timedelta(hours=1)


def _sweep(now: datetime.datetime) -> int:
    """Finished imports no longer shown go, with any file they still name; so do waiting files no import names (their
    requester's account was deleted with the import waiting). How many rows and files went."""
    old = EngagementImport.objects.filter(status__in=FINISHED, created_at__lt=now - SHOWN_FOR)
    names = [name for name in old.values_list("file", flat=True) if name]
    rows, _by_model = old.delete()
    named = set(EngagementImport.objects.exclude(file="").values_list("file", flat=True))
    orphans = [
        name
        for name in stored_under("imports")
        if name not in named and name not in names and default_storage.get_modified_time(name) < now - ORPHAN_AFTER
    ]
    delete_files([*names, *orphans])
    return rows + len(orphans)


KIND = register(
    JobKind(
        key="engagement_import",
        model=EngagementImport,
        task=import_engagement_file,
        max_attempts=2,
        restart_values={"current_step": ""},
        discard=_discard,
        sweep=_sweep,
    )
)
