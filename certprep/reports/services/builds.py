"""Asking for a report build and deleting one: checked against the documents the parts declare, audited, and the
build queued for the worker only once the request's transaction has committed (the worker must find the row)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.background import job_enqueue
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.versioning import delete_versioned
from certprep.core.wording import join_names
from certprep.engagements.models import Engagement
from certprep.reports.choices import LANGUAGE_CODES, FileFormat
from certprep.reports.gather import documents_by_key
from certprep.reports.models import ReportBuild

logger = logging.getLogger(__name__)


def steps_of(documents: Sequence[str], languages: Sequence[str]) -> int:
    """How many files a build of these documents and languages writes: Word and PDF of each, plus Excel of the
    tabular ones, in each language."""
    declared = documents_by_key()
    per_language = sum(3 if declared[key].tabular else 2 for key in documents if key in declared)
    return per_language * len(languages)


def _checked(documents: Sequence[str], languages: Sequence[str]) -> tuple[list[str], list[str]]:
    declared = documents_by_key()
    if not documents:
        raise ServiceError(_("Choose at least one report."), field="documents")
    unknown = [key for key in documents if key not in declared]
    if unknown:
        raise ServiceError(_("No such report: %(keys)s.") % {"keys": join_names(unknown)}, field="documents")
    if not languages:
        raise ServiceError(_("Choose at least one language."), field="languages")
    wrong = [code for code in languages if code not in LANGUAGE_CODES]
    if wrong:
        raise ServiceError(
            _("Reports are written in en or zh-hans, not %(codes)s.") % {"codes": join_names(wrong)}, field="languages"
        )
    # In the order the reports page lists them, each once.
    return [key for key in declared if key in documents], [code for code in LANGUAGE_CODES if code in languages]


@transaction.atomic
def build_request(
    *, engagement: Engagement, actor: Actor, documents: Sequence[str], languages: Sequence[str], queue: bool = True
) -> ReportBuild:
    """Ask for the documents in the languages: a queued build, run by the worker after the commit (`queue=False`:
    the caller runs it itself, as the demo does)."""
    documents, languages = _checked(documents, languages)
    build = ReportBuild.objects.create(
        engagement=engagement,
        requested_by=actor,
        requested_by_label=actor.get_full_name() or actor.get_username(),
        documents=documents,
        languages=languages,
        formats=[str(value) for value in FileFormat.values],
        steps_total=steps_of(documents, languages),
    )
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=build,
        values={"documents": documents, "languages": languages},
    )
    if queue:
        # Queued in the build's own transaction: on the database queue both land or neither does.
        from certprep.reports.jobs import BUILD  # the task's module imports the renderers: only when queueing

        job_enqueue(BUILD, build)
    return build


def _remove_stored(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not remove the stored report %s", name, exc_info=True)


@transaction.atomic
def build_delete(*, build: ReportBuild, actor: Actor, expected_version: int | None) -> bool:
    """Delete a build and its files (the stored files go once the deletion has committed). A build the worker is
    still running stops at its next file."""
    names = [name for name in build.files.values_list("file", flat=True) if name]

    def record(stored: ReportBuild) -> None:
        audit_record(
            engagement=build.engagement,
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=stored,
            values={"documents": stored.documents, "languages": stored.languages, "status": stored.status},
        )

    deleted = delete_versioned(
        build,
        expected_version=expected_version,
        conflict=_("Someone else changed this build since you opened the page: open the page again."),
        record=record,
    )
    if deleted:
        transaction.on_commit(lambda: _remove_stored(names))
    return deleted
