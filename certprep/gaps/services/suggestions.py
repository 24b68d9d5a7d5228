"""Accept or dismiss a suggestion drawn from a survey answer. Accepting applies it to the rating (with the
version the assessor saw) and links the answer as evidence; either way it is not offered again."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.gaps.choices import SuggestionDecision
from certprep.gaps.models import Decision, Evidence, Rating
from certprep.gaps.selectors.suggestions import Suggestion, suggestions_for
from certprep.gaps.services.ratings import evidence_add_answer, rating_update


def _find(rating: Rating, key: str) -> Suggestion:
    for suggestion in suggestions_for(rating.assessment, [rating]).get(rating.pk, []):
        if suggestion.key == key:
            return suggestion
    raise ServiceError(_("This suggestion is no longer open: it was decided, or the rating already holds it."))


def _decide(rating: Rating, actor: Actor, key: str, decision: str) -> None:
    try:
        with transaction.atomic():
            Decision.objects.create(
                rating=rating,
                key=key,
                decision=decision,
                decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise ServiceError(_("Someone decided on this suggestion a moment ago.")) from exc


@transaction.atomic
def suggestion_accept(*, rating: Rating, actor: Actor, key: str, expected_version: int) -> Rating:
    suggestion = _find(rating, key)
    if suggestion.field == "documentation":
        rating = rating_update(
            rating=rating, actor=actor, expected_version=expected_version, documentation=suggestion.value
        )
    elif suggestion.field == "level":
        rating = rating_update(rating=rating, actor=actor, expected_version=expected_version, level=suggestion.value)
    else:
        cleared = {k: "" for k in (rating.attributes or {})}
        rating = rating_update(
            rating=rating, actor=actor, expected_version=expected_version, attributes={**cleared, **suggestion.value}
        )
    if not Evidence.objects.filter(rating=rating, answer=suggestion.answer).exists():
        evidence_add_answer(rating=rating, actor=actor, answer=suggestion.answer)
    _decide(rating, actor, key, SuggestionDecision.ACCEPTED)
    return rating


@transaction.atomic
def suggestion_dismiss(*, rating: Rating, actor: Actor, key: str) -> None:
    if not rating.assessment.is_open:
        raise ServiceError(_("This assessment is closed. Reopen it to change its ratings."))
    suggestion = _find(rating, key)
    _decide(rating, actor, key, SuggestionDecision.DISMISSED)
    audit_record(
        engagement=rating.assessment.engagement,
        actor=actor,
        action="update",
        obj=rating,
        changes={
            "suggestion": [f"{suggestion.field}={suggestion.value_label}", str(SuggestionDecision.DISMISSED.label)]
        },
    )
