"""Default criteria are shown in the reader's language until renamed: added by a Chinese reader, read in English;
renamed, the new name in both languages; a user's own criterion as typed; existing rows get their code from
their shipped name (the migration), and the code travels in the engagement file."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from certprep.engagements.transfer import engagement_export
from certprep.vendors.models import Criterion
from certprep.vendors.services.selection import criteria_defaults, criterion_create, criterion_update
from certprep.vendors.tests.world import body_a

pytestmark = pytest.mark.django_db


def _page(client, engagement, language):
    client.cookies["django_language"] = language
    url = reverse("vendors:comparison", args=[engagement.pk])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_defaults_added_in_chinese_read_in_english_and_a_renamed_one_shows_its_new_name(
    owner_client, engagement, owner
):
    body_a(engagement, owner)
    with translation.override("zh-hans"):
        criteria = criteria_defaults(engagement=engagement, actor=owner)
    assert criteria[3].name == "排期能力"  # stored as its creator wrote it
    assert criteria[3].code == "scheduling"
    english = _page(owner_client, engagement, "en")
    assert "<bdi>Scheduling capacity</bdi>" in english
    assert "排期能力" not in english
    assert "<bdi>排期能力</bdi>" in _page(owner_client, engagement, "zh-hans")

    criterion_update(criterion=criteria[3], actor=owner, expected_version=criteria[3].version, name="Audit slots")
    for language in ("en", "zh-hans"):
        page = _page(owner_client, engagement, language)
        assert "<bdi>Audit slots</bdi>" in page
        assert "Scheduling capacity" not in page
        assert "排期能力" not in page


def test_a_users_own_criterion_shows_as_typed_even_with_a_shipped_name(owner, engagement):
    own = criterion_create(engagement=engagement, actor=owner, name="Scheduling capacity", weight=5)
    assert own.code == ""
    with translation.override("zh-hans"):
        assert own.shown_name == "Scheduling capacity"


def test_the_migration_codes_existing_defaults_by_their_english_or_chinese_name(owner, engagement):
    with translation.override("zh-hans"):
        criteria_defaults(engagement=engagement, actor=owner)
    criterion_create(engagement=engagement, actor=owner, name="Long-term relationship", weight=5)  # en shipped name
    criterion_create(engagement=engagement, actor=owner, name="Our own", weight=5)
    Criterion.objects.filter(engagement=engagement).update(code="")  # as they were before the migration
    migration = importlib.import_module("certprep.vendors.migrations.0002_criterion_code")
    migration.codes_set(apps, None)
    codes = dict(Criterion.objects.filter(engagement=engagement).values_list("name", "code"))
    assert codes == {
        "认可及其范围": "accreditation",
        "审核员的 IT 和行业能力": "competence",
        "在我们客户中的声誉": "reputation",
        "排期能力": "scheduling",
        "3 年全部费用（含差旅）": "price",
        "长期合作关系": "relationship",
        "Long-term relationship": "relationship",
        "Our own": "",
    }


def test_the_code_travels_in_the_engagement_file(owner, engagement):
    criteria_defaults(engagement=engagement, actor=owner)
    section = engagement_export(engagement)["vendors"]
    assert [c["code"] for c in section["criteria"]] == [
        "accreditation",
        "competence",
        "reputation",
        "scheduling",
        "price",
        "relationship",
    ]
