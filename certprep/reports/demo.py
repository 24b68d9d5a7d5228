"""The demo engagement's report pack: built once, in both languages, so a new user sees a built pack. It runs
after the demo's transaction commits (the demo command is one transaction), in the command's own process, so
`make run` starts the web server with the pack written. Does nothing when the engagement has a build."""

from __future__ import annotations

import logging

from django.db import transaction

from certprep.core.actors import Actor
from certprep.engagements.models import Engagement
from certprep.reports.gather import documents_by_key
from certprep.reports.models import ReportBuild
from certprep.reports.services.builds import build_request
from certprep.reports.services.run import build_run

logger = logging.getLogger(__name__)


def _build_now(build_id: int) -> None:
    try:
        build_run(build_id)
    except Exception:
        # The build records why it failed; the demo is there all the same.
        logger.warning("The demo's report pack could not be built", exc_info=True)


def load_reports_demo(*, engagement: Engagement, actor: Actor) -> None:
    documents = list(documents_by_key())
    if not documents or ReportBuild.objects.filter(engagement=engagement).exists():
        return
    build = build_request(
        engagement=engagement, actor=actor, documents=documents, languages=["en", "zh-hans"], queue=False
    )
    transaction.on_commit(lambda: _build_now(build.pk))
