"""What the survey holds of a person of the organization, told to the people app before the person is deleted
(registered in SurveyConfig.ready through people.uses): someone who has started answering stays, since the
answers belong to the survey record; otherwise the deletion is explained campaign by campaign."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certprep.people.models import Person
from certprep.people.uses import PersonUse
from certprep.survey.choices import ResponseStatus
from certprep.survey.models import FollowUp, Interview, Respondent, Response


def person_started_answering(person: Person) -> Response | None:
    """The first response the person has started (or submitted) in a campaign, or None."""
    return (
        Response.objects.filter(respondent__person=person)
        .filter(~Q(status=ResponseStatus.NOT_STARTED) | Q(started_at__isnull=False) | Q(answers__isnull=False))
        .select_related("respondent__campaign")
        .order_by("pk")
        .first()
    )


def _consequences(person: Person) -> list[str]:
    campaigns = Respondent.objects.filter(person=person).count()
    interviews = Interview.objects.filter(attendees=person).count()
    follow_ups = FollowUp.objects.filter(owner=person).count()
    said = []
    if campaigns:
        said.append(
            ngettext(
                "Invited to %(n)s campaign: the personal link stops working.",
                "Invited to %(n)s campaigns: the personal links stop working.",
                campaigns,
            )
            % {"n": campaigns}
        )
    if interviews:
        said.append(
            ngettext(
                "Attends %(n)s interview: they are taken off its attendees.",
                "Attends %(n)s interviews: they are taken off the attendees.",
                interviews,
            )
            % {"n": interviews}
        )
    if follow_ups:
        said.append(
            ngettext(
                "Owns %(n)s follow-up action, which will have no owner.",
                "Owns %(n)s follow-up actions, which will have no owner.",
                follow_ups,
            )
            % {"n": follow_ups}
        )
    return said


def person_in_survey(person: Person) -> PersonUse:
    """Why the survey keeps the person (they started answering), or what deleting them changes in it."""
    started = person_started_answering(person)
    if started is not None:
        refusal = _(
            '%(name)s has started answering in the campaign "%(campaign)s"; their answers belong to the survey '
            "record, so the person cannot be deleted."
        ) % {"name": person.name, "campaign": started.respondent.campaign.name}
        return PersonUse(refusal=refusal)
    return PersonUse(consequences=_consequences(person))
