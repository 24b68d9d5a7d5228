"""Report builds whose worker stopped (killed, out of memory, its machine gone) are recovered by the one machinery of
background jobs (certprep.core.background): queued again once, then failed with a message. What is the reports'
own is said here: the words people read, and what a stopped attempt leaves behind (files the worker stored,
recorded or not). certprep/reports/jobs.py declares the kind with these."""

from __future__ import annotations

import posixpath

from django.utils.translation import gettext as _

from certprep.core.storage import delete_files, stored_under
from certprep.reports.choices import BuildStatus
from certprep.reports.models import ReportBuild, ReportFile, report_upload_to

# A build is begun at most this many times: the first attempt and one retry after its worker stopped.
MAX_ATTEMPTS = 2


def restart_message(attempt: int, most: int = MAX_ATTEMPTS) -> str:
    return _("The worker stopped while writing this build; it was restarted (attempt %(n)s of %(max)s).") % {
        "n": attempt,
        "max": most,
    }


def failure_message(attempts: int) -> str:
    return _("The worker stopped while writing this build; it was tried %(n)s times.") % {"n": attempts}


def _remove_unrecorded(build: ReportBuild, *, keep: set[str]) -> None:
    """Remove the stored files in the build's folder but `keep`: the attempt's files on a restart, and what the
    stopped worker stored without recording it (a file is stored before its row commits, and the worker may have
    been killed in between)."""
    folder = posixpath.dirname(report_upload_to(ReportFile(build=build), "report"))
    delete_files(name for name in stored_under(folder) if name not in keep)


def discard(build: ReportBuild, last: bool) -> None:
    """What a stopped attempt leaves: on its last attempt the files it recorded stay (people may download what was
    made); on a restart every file goes, so the new attempt starts clean."""
    files = ReportFile.objects.filter(build_id=build.pk)
    if last:
        _remove_unrecorded(build, keep={name for name in files.values_list("file", flat=True) if name})
        return
    files.delete()
    _remove_unrecorded(build, keep=set())


def worker_note(build: ReportBuild) -> str:
    """What the reports page says of a build whose worker stopped, in the reader's language ("" for the others)."""
    if not build.worker_stopped:
        return ""
    if build.status == BuildStatus.FAILED:
        return failure_message(build.attempts)
    if build.status == BuildStatus.QUEUED:
        return _("The worker stopped while writing this build; it starts again when a worker is free.")
    if build.status == BuildStatus.RUNNING:
        return _("Restarted after the worker stopped: attempt %(n)s of %(max)s.") % {
            "n": build.attempts,
            "max": MAX_ATTEMPTS,
        }
    return _("Done after a restart: the worker stopped during an earlier attempt.")
