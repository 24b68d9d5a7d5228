from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from certprep.engagements import services
from certprep.engagements.models import Engagement

pytestmark = pytest.mark.django_db


def test_the_demo_is_a_realistic_engagement_owned_by_demo(client):
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    assert demo.check_password("demo")
    engagement = Engagement.objects.get(memberships__user=demo, memberships__role="owner")
    profile = engagement.profile
    assert profile.people_in_scope == 240
    assert len(profile.services_in_scope) >= 4
    assert "Harbourline" in profile.scope_statement
    assert engagement.memberships.count() == 3
    assert engagement.questionnaires.count() == 14
    assert engagement.people.count() >= 15
    campaign = engagement.campaigns.get()
    assert campaign.status == "open"
    assert campaign.respondents.filter(responses__status="submitted").exists()
    assert campaign.respondents.filter(responses__answers__flagged=True).exists()
    assert engagement.interviews.count() == 1
    from certprep.responsibilities.models import Assignment, RoleHolder

    assert Assignment.objects.filter(activity__engagement=engagement).count() > 200
    assert RoleHolder.objects.filter(role__engagement=engagement).count() >= 5  # the columns that are not SMS roles
    from certprep.people.selectors import process_owners
    from certprep.responsibilities import rules
    from certprep.responsibilities.selectors import matrix_view

    owners = process_owners(engagement)
    assert len(owners) == 13, "one owner per process"
    assert all(len(people) == 1 for people in owners.values()), "one owner per process"
    kinds = {v.kind for v in matrix_view(engagement).violations}
    assert not kinds & {
        rules.PROCESS_WITHOUT_OWNER,
        rules.PROCESS_WITH_SEVERAL_OWNERS,
        rules.SEVERAL_ACCOUNTABLE_PEOPLE,
    }


def test_loading_the_demo_again_keeps_what_users_changed():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    demo.set_password("changed by the user 1")
    demo.save()
    engagement = Engagement.objects.get(memberships__user=demo)
    services.profile_update(
        profile=engagement.profile,
        actor=demo,
        expected_version=engagement.profile.version,
        data={"people_in_scope": 300},
    )
    call_command("load_demo", verbosity=0)
    assert Engagement.objects.count() == 1
    demo.refresh_from_db()
    assert demo.check_password("changed by the user 1")
    engagement.profile.refresh_from_db()
    assert engagement.profile.people_in_scope == 300
