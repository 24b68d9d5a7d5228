"""What the audit trail records of the scheme's writes: the fields of a rating and of a recommendation."""

from __future__ import annotations

RATING_FIELDS = ["score", "rationale", "evidence", "weight"]
RECOMMENDATION_FIELDS = ["proposed", "outcome", "conditions", "rationale", "inputs", "decided_by", "decided_at"]
