from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.engagements import services
from certprep.engagements.models import Invitation, Membership, SuggestedInvitation
from certprep.engagements.tests.factories import EngagementFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_is_required(client, engagement):
    response = client.get(reverse("engagements:dashboard", args=[engagement.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_owner_creates_an_engagement_and_lands_on_its_profile(owner_client):
    response = owner_client.post(
        reverse("engagements:create"), {"name": "Certification 2027", "organization_name": "Client A Ltd"}
    )
    assert response.status_code == 302
    response = owner_client.get(response["Location"])
    assert "Organization profile" in response.content.decode()


def test_the_profile_form_saves_lists_one_per_line(owner_client, engagement):
    url = reverse("engagements:profile", args=[engagement.pk])
    response = owner_client.post(
        url,
        {
            "expected_version": 1,
            "industry": "finance",
            "people_in_scope": "85",
            "sites": "Head office\n\nData centre\nHead office",
            "services_in_scope": "Payments platform",
            "existing_certifications": ["iso27001"],
        },
    )
    assert response.status_code == 302
    engagement.profile.refresh_from_db()
    assert engagement.profile.sites == ["Head office", "Data centre"]
    assert engagement.profile.existing_certifications == ["iso27001"]


def test_a_stale_profile_form_shows_a_conflict_and_keeps_the_other_save(owner_client, engagement, owner):
    services.profile_update(profile=engagement.profile, actor=owner, expected_version=1, data={"notes": "theirs"})
    response = owner_client.post(
        reverse("engagements:profile", args=[engagement.pk]), {"expected_version": 1, "notes": "mine"}
    )
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    engagement.profile.refresh_from_db()
    assert engagement.profile.notes == "theirs"


def test_a_viewer_reads_the_profile_but_cannot_change_it(client, engagement, owner):
    viewer = UserFactory(username="viv")
    services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    url = reverse("engagements:profile", args=[engagement.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"expected_version": 1, "notes": "x"}).status_code == 403
    assert (
        client.post(
            reverse("engagements:members", args=[engagement.pk]), {"email": "x@y.z", "role": "owner"}
        ).status_code
        == 403
    )


def test_user_text_is_escaped_on_every_page(owner_client, engagement, owner):
    payload = '<script>alert("x")</script>'
    services.engagement_update(engagement=engagement, actor=owner, expected_version=1, data={"description": payload})
    services.profile_update(
        profile=engagement.profile,
        actor=owner,
        expected_version=1,
        data={"scope_who": payload, "scope_services": "x", "sites": [payload]},
    )
    for name in ("dashboard", "profile", "audit"):
        body = owner_client.get(reverse(f"engagements:{name}", args=[engagement.pk])).content.decode()
        assert payload not in body
        assert "&lt;script&gt;" in body


def test_owner_invites_a_member_from_the_members_page(owner_client, engagement):
    response = owner_client.post(
        reverse("engagements:members", args=[engagement.pk]),
        {"email": "new@client-a.example", "role": "editor"},
        follow=True,
    )
    assert "Invitation to new@client-a.example" in response.content.decode()
    assert "new@client-a.example" in response.content.decode()


def test_inviting_an_existing_accounts_address_answers_like_an_unknown_one(owner_client, engagement):
    UserFactory(username="quality", email="quality@client-a.example")
    url = reverse("engagements:members", args=[engagement.pk])

    def answer(email):
        response = owner_client.post(url, {"email": email, "role": "editor"}, follow=True)
        text = " ".join(str(m) for m in response.context["messages"])
        return re.sub(r"/invitations/[^/\s]+/", "/invitations/T/", text).replace(email, "ADDRESS")

    assert answer("quality@client-a.example") == answer("nobody@client-a.example")
    assert "Invitation to ADDRESS" in answer("third@client-a.example")
    assert not Membership.objects.filter(engagement=engagement, user__username="quality").exists()


def _suggested(engagement, **fields):
    return SuggestedInvitation.objects.create(engagement=engagement, **{"role": "editor", **fields})


def test_the_members_page_lists_suggested_invitations_and_sends_one_in_one_click(owner_client, engagement):
    alice = UserFactory(username="alice", email="alice@elsewhere.example")
    suggestion = _suggested(engagement, username="alice", email="alice@elsewhere.example")
    _suggested(engagement, username="bob", email="")
    page = owner_client.get(reverse("engagements:members", args=[engagement.pk])).content.decode()
    assert "Suggested invitations" in page
    assert "alice@elsewhere.example" in page
    assert "no e-mail in the file" in page
    invite = reverse("engagements:suggestion_invite", args=[engagement.pk, suggestion.pk])
    assert invite in page
    body = owner_client.post(invite, follow=True).content.decode()
    assert "Invitation to alice@elsewhere.example" in body
    invitation = Invitation.objects.get(engagement=engagement)
    assert (invitation.email, invitation.role) == ("alice@elsewhere.example", "editor")
    assert not SuggestedInvitation.objects.filter(pk=suggestion.pk).exists()
    assert not Membership.objects.filter(engagement=engagement, user=alice).exists()


def test_an_owner_dismisses_a_suggestion_and_others_cannot_act_on_it(owner_client, client, engagement, owner):
    suggestion = _suggested(engagement, username="bob", email="bob@elsewhere.example")
    editor = UserFactory(username="ed")
    services.member_add(engagement=engagement, actor=owner, user=editor, role="editor")
    client.force_login(editor)
    assert (
        "bob@elsewhere.example" not in client.get(reverse("engagements:members", args=[engagement.pk])).content.decode()
    )
    assert client.post(reverse("engagements:suggestion_invite", args=[engagement.pk, suggestion.pk])).status_code == 403
    client.force_login(owner)
    body = client.post(
        reverse("engagements:suggestion_dismiss", args=[engagement.pk, suggestion.pk]), follow=True
    ).content.decode()
    assert "Suggestion dismissed." in body
    assert not SuggestedInvitation.objects.exists()
    assert not Invitation.objects.exists()


def _grow(owner, engagement, n):
    start = engagement.memberships.count()
    for i in range(start, start + n):
        EngagementFactory(owner=owner, name=f"Extra {i}")
        user = UserFactory(username=f"member{engagement.pk}_{i}")
        Membership.objects.create(engagement=engagement, user=user, role="viewer")
        services.profile_update(
            profile=type(engagement.profile).objects.get(engagement=engagement),
            actor=owner,
            expected_version=type(engagement.profile).objects.get(engagement=engagement).version,
            data={"notes": f"note {i}"},
        )


@pytest.mark.parametrize("page", ["list", "dashboard", "members", "audit", "profile"])
def test_page_query_count_does_not_grow_with_data(owner_client, owner, engagement, page):
    def count():
        url = reverse("engagements:list") if page == "list" else reverse(f"engagements:{page}", args=[engagement.pk])
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _grow(owner, engagement, 2)
    small = count()
    _grow(owner, engagement, 25)
    assert count() == small


def test_owner_changes_a_role_removes_a_member_and_revokes_an_invitation_from_the_page(owner_client, engagement, owner):
    colleague = UserFactory(username="colleague")
    membership = services.member_add(engagement=engagement, actor=owner, user=colleague, role="viewer")
    url = reverse("engagements:member_role", args=[engagement.pk, membership.pk])
    body = owner_client.post(url, {"role": "editor"}, follow=True).content.decode()
    assert "Role changed." in body
    membership.refresh_from_db()
    assert membership.role == "editor"

    invitation = services.member_invite(
        engagement=engagement, actor=owner, email="later@client-a.example", role="viewer"
    )
    body = owner_client.post(
        reverse("engagements:invitation_revoke", args=[engagement.pk, invitation.pk]), follow=True
    ).content.decode()
    assert "its link no longer works" in body
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    owner_client.post(reverse("engagements:member_remove", args=[engagement.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_page_refuses_to_demote_the_last_owner_with_a_message(owner_client, engagement, owner):
    mine = Membership.objects.get(engagement=engagement, user=owner)
    body = owner_client.post(
        reverse("engagements:member_role", args=[engagement.pk, mine.pk]), {"role": "viewer"}, follow=True
    ).content.decode()
    assert "at least one owner" in body
    mine.refresh_from_db()
    assert mine.role == "owner"


def test_a_profile_saved_on_the_page_is_in_the_audit_trail(owner_client, engagement):
    owner_client.post(
        reverse("engagements:profile", args=[engagement.pk]), {"expected_version": 1, "people_in_scope": "240"}
    )
    body = owner_client.get(reverse("engagements:audit", args=[engagement.pk])).content.decode()
    assert "People in SMS scope" in body
    assert "240" in body


def test_engagement_settings_saved_on_the_page_are_in_the_audit_trail(owner_client, engagement):
    owner_client.post(
        reverse("engagements:settings", args=[engagement.pk]),
        {
            "expected_version": 1,
            "name": "Renamed engagement",
            "organization_name": "Client A Ltd",
            "survey_preparation_days": 5,
        },
    )
    entry = engagement.audit_entries.first()
    assert entry.changes["name"] == ["Client A preparation", "Renamed engagement"]


def test_a_consultant_finds_an_engagement_among_many(owner_client, owner):
    for i in range(60):
        EngagementFactory(owner=owner, name=f"Client {i:02d} certification", organization_name=f"Org {i:02d}")
    first = owner_client.get(reverse("engagements:list")).content.decode()
    assert "page 1 of 2" in first
    body = owner_client.get(reverse("engagements:list"), {"q": "Org 42"}).content.decode()
    assert "Client 42 certification" in body
    assert "Client 41 certification" not in body
    assert "No engagement matches." in owner_client.get(reverse("engagements:list"), {"q": "zzz"}).content.decode()
