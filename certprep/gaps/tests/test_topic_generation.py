"""Generated improvement topics: grouped under real headings (NZISM's unnamed parents included), written like a
consultant's from the paraphrases, the documentation and the survey, stored in every language with the report
language as their own text, and made in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.catalogue.models import Process
from certprep.catalogue.services import framework_import
from certprep.catalogue.tests.libraries import nist_like, nzism_like
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.gaps.services import topics as topic_services
from certprep.gaps.tests.factories import assessment, rate, survey_answers

pytestmark = pytest.mark.django_db


def test_gaps_under_parents_without_reference_or_name_are_grouped_by_their_description(owner, engagement, catalogue):
    framework = framework_import(data=nzism_like(nodes=240)).framework
    nzism = assessment(engagement, owner, scale="compliance", name="NZISM", framework=framework)
    for ref in ("1.1.1", "1.1.2", "1.2.1", "2.1.1"):
        rate(owner, nzism, ref, level=0)
    made = topic_services.topics_generate(assessment=nzism, actor=owner, grouping="clause")
    titles = sorted(topic.title for topic in made)
    assert len(made) == 3, titles  # not one topic named "Improve"
    assert titles[0].startswith("Information security governance, section 1: 1.1.1, 1.1.2")
    assert titles[1].startswith("Information security governance, section 2: 1.2.1")
    assert titles[2].startswith("System certification and accreditation, section 1: 2.1.1")


def test_a_generated_topic_reads_like_a_consultant_wrote_it(owner, engagement, catalogue):
    baseline = assessment(engagement, owner, scale="compliance")
    rate(owner, baseline, "8.6.1", level=1)
    rate(owner, baseline, "8.6.2", documentation="missing")
    survey_answers(engagement, owner, [("process-incident", "maturity", 2)])
    (topic,) = topic_services.topics_generate(assessment=baseline, actor=owner, grouping="process")
    incident = Process.objects.get(code="incident").tr.name
    assert topic.title.startswith(f"{incident}: 8.6.1 ")
    paraphrase = baseline.ratings.get(requirement__ref_id="8.6.1").requirement.description
    assert paraphrase[:60] in topic.description
    assert "8.6.2 (Missing)" in topic.description
    assert "rated the maturity of" in topic.description  # the survey answer behind the gap
    assert 'The assessment "Baseline" found 2 requirements' in topic.description


def test_topics_are_stored_in_each_language_and_the_report_language_is_their_own_text(
    owner, owner_client, engagement, catalogue
):
    Engagement.objects.filter(pk=engagement.pk).update(report_language="zh-hans")
    engagement.refresh_from_db()
    baseline = assessment(engagement, owner, scale="compliance")
    rate(owner, baseline, "8.6.1", level=1)
    (topic,) = topic_services.topics_generate(assessment=baseline, actor=owner, grouping="process")
    chinese = topic.translations["zh-hans"]["title"]
    assert "事件" in chinese
    assert topic.title == chinese
    assert topic.translations["en"]["title"].startswith("Incident")
    english = owner_client.get(reverse("gaps:topics", args=[engagement.pk])).content.decode()
    assert topic.translations["en"]["title"] in english
    owner_client.cookies["django_language"] = "zh-hans"
    page = owner_client.get(reverse("gaps:topics", args=[engagement.pk])).content.decode()
    assert chinese in page


def test_editing_a_generated_title_makes_it_the_text_in_every_language(owner, engagement, catalogue):
    baseline = assessment(engagement, owner, scale="compliance")
    rate(owner, baseline, "8.6.1", level=1)
    (topic,) = topic_services.topics_generate(assessment=baseline, actor=owner, grouping="process")
    topic_services.topic_update(topic=topic, actor=owner, expected_version=topic.version, title="Fix the desk")
    stored = ImprovementTopic.objects.get(pk=topic.pk)
    assert all("title" not in texts for texts in stored.translations.values())
    assert all("description" in texts for texts in stored.translations.values())


def test_saving_the_form_unchanged_in_another_language_keeps_the_generated_texts(
    owner, owner_client, engagement, catalogue
):
    baseline = assessment(engagement, owner, scale="compliance")
    rate(owner, baseline, "8.6.1", level=1)
    (topic,) = topic_services.topics_generate(assessment=baseline, actor=owner, grouping="process")
    owner_client.cookies["django_language"] = "zh-hans"
    zh = topic.translations["zh-hans"]
    response = owner_client.post(
        reverse("gaps:topic_edit", args=[engagement.pk, topic.pk]),
        {
            "expected_version": topic.version,
            "title": zh["title"],
            "description": zh["description"].replace("\n", "\r\n"),
            "status": "in_progress",
            "ratings": [r.pk for r in topic.ratings.all()],
        },
    )
    assert response.status_code == 302
    stored = ImprovementTopic.objects.get(pk=topic.pk)
    assert stored.status == "in_progress"
    assert stored.title == topic.title
    assert stored.translations == topic.translations


def test_generating_topics_runs_the_same_queries_however_many_topics_it_makes(owner, engagement, catalogue):
    counts = []
    for controls, name in ((1, "small"), (4, "large")):
        data = nist_like(controls=controls, enhancements=1).replace(b"nist-like", f"nist-{name}".encode())
        nist = assessment(
            engagement, owner, scale="compliance", name=name, framework=framework_import(data=data).framework
        )
        for found in nist.ratings.select_related("requirement"):
            rate(owner, nist, found.requirement.ref_id, level=0)
        with CaptureQueriesContext(connection) as captured:
            made = topic_services.topics_generate(assessment=nist, actor=owner, grouping="clause")
        counts.append((len(made), len(captured)))
    (few, small), (many, large) = counts
    assert many > few
    assert small == large


def test_the_topics_page_runs_the_same_queries_and_shows_one_page_however_many_topics(
    owner, owner_client, engagement, catalogue
):
    url = reverse("gaps:topics", args=[engagement.pk])
    counts = []
    for controls, name in ((1, "small"), (20, "large")):
        data = nist_like(controls=controls, enhancements=1).replace(b"nist-like", f"nist-{name}".encode())
        nist = assessment(
            engagement, owner, scale="compliance", name=name, framework=framework_import(data=data).framework
        )
        for found in nist.ratings.select_related("requirement"):
            rate(owner, nist, found.requirement.ref_id, level=0)
        topic_services.topics_generate(assessment=nist, actor=owner, grouping="clause")
        with CaptureQueriesContext(connection) as captured:
            page = owner_client.get(url).content.decode()
        counts.append(len(captured))
    assert ImprovementTopic.objects.count() > 50
    assert page.count('name="topics"') == 50
    assert "Next" in page
    assert counts[0] == counts[1]
