"""The survey's report sections: the demo's response rates as the campaign page shows them, every process's current
state and the relation map of the current-state page; interview minutes with their agreed actions, written by hand;
an engagement without a survey says what is missing; hostile titles and minutes as typed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from certprep.core.documents import Bullets, Figure, Heading, KeyFigures, Paragraph, Table
from certprep.core.parts import engagement_parts
from certprep.engagements.models import Engagement
from certprep.people.tests.factories import person
from certprep.survey.models import Campaign, FollowUp, Interview
from certprep.survey.report import DOCUMENT, SECTIONS
from certprep.survey.selectors.state import engagement_state, lens_processes

pytestmark = pytest.mark.django_db
CHINESE = re.compile("[\u4e00-\u9fff]")
BUILD = {section.key: section.build for section in SECTIONS}
HOSTILE = '<svg onload="alert(1)">=1+2 & "x"'


def _table(blocks):
    return next(b for b in blocks if isinstance(b, Table))


def test_the_demo_survey_as_its_pages_show_it(client):
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    engagement = Engagement.objects.get(memberships__user=demo, memberships__role="owner")
    client.force_login(demo)
    campaign = Campaign.objects.filter(engagement=engagement).order_by("-created_at").first()
    html = client.get(reverse("survey:campaign", args=[engagement.pk, campaign.pk])).text
    page_rate = re.search(r'id="overall-rate">([^<]+)<', html).group(1)
    rates = BUILD["survey.rates"](engagement)
    figures = dict(next(b for b in rates if isinstance(b, KeyFigures)).items)
    assert figures[campaign.name] == page_rate
    overall = next(row for row in _table(rates).rows if row[1] == "All questionnaires")
    assert overall[5] == page_rate
    # Worked out from the row itself: submitted of sent, in whole percent.
    assert int(overall[5].rstrip("%")) == round(100 * int(overall[3]) / int(overall[4]))
    management = next(row for row in _table(rates).rows if row[2] != "—")
    assert "Top management" in management[2] or "Process owner" in management[2]
    state = _table(BUILD["survey.current_state"](engagement))
    assert [row[0] for row in state.rows] == [p.tr.name for p in lens_processes()]
    relations = BUILD["survey.relations"](engagement)
    figure = next(b for b in relations if isinstance(b, Figure))
    assert figure.svg.startswith("<svg")
    assert len(_table(relations).rows) == len(engagement_state(engagement).relations) > 0
    state_html = client.get(reverse("survey:state", args=[engagement.pk])).text
    for row in _table(relations).rows[:3]:
        assert row[1] in state_html


def test_minutes_with_their_agreed_actions(engagement, owner):
    owner.first_name, owner.last_name = "Olivia", "Owner"
    owner.save()
    gao = person(engagement, "Gao Bo")
    interview = Interview.objects.create(
        engagement=engagement,
        title=HOSTILE,
        process_code="change",
        starts_at=datetime.datetime(2027, 3, 2, 10, 0, tzinfo=datetime.UTC),
        interviewer=owner,
        minutes=f"Approvals are e-mailed.\n\n{HOSTILE}",
    )
    interview.attendees.set([gao])
    FollowUp.objects.create(
        interview=interview, text="Write the change policy", owner=gao, due_date=datetime.date(2027, 4, 1)
    )
    FollowUp.objects.create(interview=interview, text="Name a CAB chair", done=True)
    Interview.objects.create(engagement=engagement, title="Planned only", starts_at=timezone.now())
    blocks = BUILD["survey.minutes"](engagement)
    assert [b.text for b in blocks if isinstance(b, Heading)] == [HOSTILE]  # no minutes, no actions: left out
    facts = dict(next(b for b in blocks if isinstance(b, KeyFigures)).items)
    assert facts["Subject"] == "Change management"
    assert facts["Attendees"] == "Gao Bo"
    assert facts["Interviewer"] == "Olivia Owner"
    assert facts["When"].startswith("2 Mar 2027")
    assert [b.text for b in blocks if isinstance(b, Paragraph) and b.tone == "body"] == [
        "Approvals are e-mailed.",
        HOSTILE,
    ]
    actions = next(b for b in blocks if isinstance(b, Bullets)).items
    assert actions == ["Write the change policy (Gao Bo, 1 Apr 2027)", "Name a CAB chair (done)"]
    with translation.override("zh-hans"):
        chinese = next(b for b in BUILD["survey.minutes"](engagement) if isinstance(b, Bullets)).items
    assert chinese[0] == "Write the change policy （Gao Bo、2027年4月1日）"  # full-width brackets, as gaps' sources


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_engagement_without_a_survey_says_what_is_missing(engagement, language):
    for key, build in BUILD.items():
        with translation.override(language):
            blocks = build(engagement)
        assert language == "en" or CHINESE.search(blocks[0].text), key  # written in the reader's language
        assert len(blocks) == 1, key
        assert isinstance(blocks[0], Paragraph), key
        assert blocks[0].tone == "missing", key


def test_the_part_declares_the_tabular_survey_results():
    part = next(p for p in engagement_parts() if p.key == "survey")
    assert part.report_documents == (DOCUMENT,)
    assert DOCUMENT.tabular
    assert list(DOCUMENT.sections) == ["survey.rates", "survey.current_state", "survey.relations", "survey.minutes"]
