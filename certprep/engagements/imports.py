"""Engagement-file imports as background jobs (the request's side): the file's bounds are checked at once, then it
is stored for a worker (certprep/engagements/tasks.py) and the import queued, in one transaction. An import is its
requester's alone: anyone else gets 404, as for an engagement they are not a member of."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certprep.core.actors import Actor, Visitor
from certprep.core.background import JobStatus, job_enqueue, shown_recover
from certprep.core.errors import ServiceError
from certprep.core.uploads import files_kept_only_on_success, store_file, upload_name
from certprep.engagements import jobs, transfer
from certprep.engagements.models import EngagementImport

# Imports one person may have waiting or running at once: enough for a few files, too few to fill the queue.
MAX_OPEN_IMPORTS = 3


def _recent(user: Actor) -> QuerySet[EngagementImport]:
    return EngagementImport.objects.filter(requested_by=user, created_at__gte=timezone.now() - jobs.SHOWN_FOR)


def import_request(*, raw: bytes, name: str | None, actor: Actor) -> EngagementImport:
    """Check the file's bounds (refused at once, nothing stored), then store it and queue its import. The worker
    answers in the language of the request."""
    transfer.checked_document(raw)
    with files_kept_only_on_success(), transaction.atomic():
        # One requester's imports are counted one request at a time (the row lock waits for the other request).
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        if _recent(actor).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).count() >= MAX_OPEN_IMPORTS:
            raise ServiceError(
                _("You have %(n)s imports waiting or running; import more once one of them has finished.")
                % {"n": MAX_OPEN_IMPORTS}
            )
        job = EngagementImport(
            requested_by=actor,
            original_name=upload_name(name),
            size=len(raw),
            language=translation.get_language() or "",
        )
        store_file(job.file, raw)
        job.save()
        job_enqueue(jobs.KIND, job)
    return job


def import_for(user: Visitor, import_id: int) -> EngagementImport:
    """The user's own import (recovered first when its worker stopped), or 404: another person's, an older one than
    is shown, or none."""
    if not user.is_authenticated:
        raise Http404
    job = _recent(user).select_related("engagement").filter(pk=import_id).first()
    if job is None:
        raise Http404(_("No such import."))
    if shown_recover(jobs.KIND, [job]):
        job.refresh_from_db()
    return job
