"""One of every gap-analysis object, for the tests that walk all routes (isolation, API schema)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from certprep.gaps.services import assessments, documents, ratings, topics

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def gap_world(engagement: Any, owner: Any) -> dict[str, Any]:
    """An assessment with a rated requirement, file evidence, a topic and a checklist item (needs the catalogue)."""
    assessment = assessments.assessment_create(
        engagement=engagement, actor=owner, name="Baseline", assessed_on=datetime.date(2026, 3, 1)
    )
    rating = (
        assessment.ratings.select_related("requirement", "assessment__engagement")
        .order_by("requirement__order")
        .first()
    )
    assert rating is not None
    rating = ratings.rating_update(
        rating=rating, actor=owner, expected_version=rating.version, level=1, documentation="missing"
    )
    evidence = ratings.evidence_add_file(
        rating=rating, actor=owner, upload=SimpleUploadedFile("proof.pdf", PDF), title="Proof"
    )
    topic = topics.topic_create(engagement=engagement, actor=owner, title="Improve scope", ratings=[rating])
    documents.checklist_load(engagement=engagement, actor=owner)
    item = engagement.document_items.order_by("order").first()
    return {"assessment": assessment, "rating": rating, "evidence": evidence, "topic": topic, "item": item}
