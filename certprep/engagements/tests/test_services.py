from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.core.tests.mail_queue import mail_drain
from certprep.engagements import services
from certprep.engagements.choices import Role
from certprep.engagements.models import Invitation, Membership
from certprep.engagements.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creating_an_engagement_makes_the_creator_its_owner_with_an_empty_profile(owner):
    engagement = services.engagement_create(user=owner, name="ISO 20000 2027", organization_name="Acme IT")
    membership = Membership.objects.get(engagement=engagement)
    assert membership.user == owner
    assert membership.role == Role.OWNER
    assert engagement.profile.people_in_scope is None
    assert AuditEntry.objects.filter(engagement=engagement, action="create").count() == 1


def test_an_engagement_needs_a_name_and_an_organization(owner):
    with pytest.raises(ServiceError):
        services.engagement_create(user=owner, name="  ", organization_name="Acme")


def test_profile_changes_are_recorded_with_old_and_new_values(engagement, owner):
    profile = engagement.profile
    services.profile_update(profile=profile, actor=owner, expected_version=1, data={"people_in_scope": 120})
    services.profile_update(profile=profile, actor=owner, expected_version=2, data={"people_in_scope": 150})
    entry = AuditEntry.objects.filter(object_type="engagements.organizationprofile").first()
    assert entry.actor == owner
    assert entry.changes == {"people_in_scope": [120, 150]}
    profile.refresh_from_db()
    assert profile.version == 3


def test_a_save_based_on_a_stale_version_is_refused_and_keeps_the_other_edit(engagement, owner):
    profile = engagement.profile
    services.profile_update(profile=profile, actor=owner, expected_version=1, data={"scope_who": "Ops division"})
    stale = type(profile).objects.get(pk=profile.pk)
    with pytest.raises(ConflictError) as excinfo:
        services.profile_update(profile=stale, actor=owner, expected_version=1, data={"scope_who": "Everyone"})
    assert "version" in excinfo.value.message
    profile.refresh_from_db()
    assert profile.scope_who == "Ops division"


def test_profile_validation_rejects_an_impossible_head_count(engagement, owner):
    with pytest.raises(ServiceError) as excinfo:
        services.profile_update(
            profile=engagement.profile, actor=owner, expected_version=1, data={"people_in_scope": 0}
        )
    assert excinfo.value.field == "people_in_scope"


def test_scope_statement_is_assembled_from_who_services_and_where(engagement, owner):
    profile = services.profile_update(
        profile=engagement.profile,
        actor=owner,
        expected_version=1,
        data={
            "scope_who": "the Managed Services unit",
            "scope_services": "hosting for customers",
            "scope_where": "Berlin",
        },
    )
    assert profile.scope_statement == (
        "The service management system of the Managed Services unit supporting the provision of "
        "hosting for customers, delivered from Berlin."
    )


def test_the_last_owner_can_be_neither_demoted_nor_removed(engagement, owner):
    membership = Membership.objects.get(engagement=engagement, user=owner)
    with pytest.raises(ServiceError):
        services.member_role_change(membership=membership, actor=owner, role=Role.VIEWER)
    with pytest.raises(ServiceError):
        services.member_remove(membership=membership, actor=owner)
    assert Membership.objects.get(pk=membership.pk).role == Role.OWNER


def test_inviting_someone_with_an_account_sends_a_link_and_they_join_only_by_accepting(engagement, owner):
    colleague = UserFactory(username="quality", email="Quality@Client-A.example")
    result = services.member_invite(engagement=engagement, actor=owner, email="quality@client-a.example", role="editor")
    assert isinstance(result, Invitation)
    assert result.role == "editor"
    assert not Membership.objects.filter(engagement=engagement, user=colleague).exists()
    mail_drain()
    assert mail.outbox[-1].to == ["quality@client-a.example"]
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    membership = services.invitation_accept(token=token, user=colleague)
    assert membership.user == colleague
    assert membership.role == "editor"


def test_an_invitation_looks_the_same_whether_the_address_has_an_account(engagement, owner):
    UserFactory(username="quality", email="quality@client-a.example")
    known = services.member_invite(engagement=engagement, actor=owner, email="quality@client-a.example", role="editor")
    mail_drain()
    known_mail = mail.outbox[-1]
    unknown = services.member_invite(engagement=engagement, actor=owner, email="nobody@client-a.example", role="editor")
    mail_drain()
    unknown_mail = mail.outbox[-1]
    assert type(known) is type(unknown)
    assert known.role == unknown.role
    assert known_mail.subject == unknown_mail.subject

    def shape(message, address):
        return re.sub(r"/invitations/[^/\s]+/", "/invitations/T/", message.body).replace(address, "ADDRESS")

    assert shape(known_mail, "quality@client-a.example") == shape(unknown_mail, "nobody@client-a.example")


def test_the_invitation_subject_carries_nothing_the_inviter_typed(engagement, owner):
    Engagement = type(engagement)
    Engagement.objects.filter(pk=engagement.pk).update(name="Urgent: reset your password at evil.example")
    engagement.refresh_from_db()
    services.member_invite(engagement=engagement, actor=owner, email="new@client-a.example", role="viewer")
    mail_drain()
    message = mail.outbox[-1]
    assert message.subject == "Invitation to join an engagement on certprep"
    assert "evil.example" not in message.subject
    assert "olivia" not in message.subject
    assert "(their words, not checked by certprep)" in message.body
    assert "  Urgent: reset your password at evil.example\n" in message.body


def test_the_21st_invitation_in_an_hour_is_refused(engagement, owner, settings):
    assert settings.CERTPREP_INVITATIONS_PER_HOUR == 20
    for n in range(20):
        services.member_invite(engagement=engagement, actor=owner, email=f"p{n}@client-a.example", role="viewer")
    services.invitation_revoke(invitation=Invitation.objects.first(), actor=owner)  # revoking makes no room
    with pytest.raises(ServiceError) as excinfo:
        services.member_invite(engagement=engagement, actor=owner, email="p20@client-a.example", role="viewer")
    assert "20 invitations in the last hour" in excinfo.value.message
    assert Invitation.objects.count() == 20
    mail_drain()
    assert len(mail.outbox) == 20
    other = services.engagement_create(user=owner, name="Second", organization_name="Client A Ltd")
    with pytest.raises(ServiceError):  # the limit is the inviter's, across engagements
        services.member_invite(engagement=other, actor=owner, email="p20@client-a.example", role="viewer")
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    services.member_invite(engagement=engagement, actor=owner, email="p20@client-a.example", role="viewer")


def test_an_engagement_has_its_own_hourly_invitation_limit(engagement, owner, settings):
    settings.CERTPREP_ENGAGEMENT_INVITATIONS_PER_HOUR = 3
    co_owner = UserFactory(username="co")
    services.member_add(engagement=engagement, actor=owner, user=co_owner, role="owner")
    for n, inviter in enumerate([owner, owner, co_owner]):
        services.member_invite(engagement=engagement, actor=inviter, email=f"p{n}@client-a.example", role="viewer")
    with pytest.raises(ServiceError) as excinfo:
        services.member_invite(engagement=engagement, actor=co_owner, email="p3@client-a.example", role="viewer")
    assert "This engagement has sent 3 invitations in the last hour" in excinfo.value.message


def test_a_members_address_is_not_invited_again(engagement, owner):
    with pytest.raises(ServiceError) as excinfo:
        services.member_invite(engagement=engagement, actor=owner, email="Olivia@client-a.example", role="viewer")
    assert excinfo.value.field == "email"
    mail_drain()
    assert not mail.outbox


def test_inviting_a_new_person_emails_a_personal_link_that_creates_their_account(engagement, owner):
    result = services.member_invite(
        engagement=engagement, actor=owner, email="new.person@client-a.example", role="viewer"
    )
    assert isinstance(result, Invitation)
    mail_drain()
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    assert len(token) >= 40
    assert token not in Invitation.objects.values_list("token_hash", flat=True)[0]  # only a hash is stored
    membership = services.invitation_accept(token=token, username="newperson", password="a long pass phrase 42")
    assert membership.user.email == "new.person@client-a.example"
    assert membership.role == "viewer"
    with pytest.raises(ServiceError):  # a used link does not work twice
        services.invitation_accept(token=token, username="someone", password="a long pass phrase 42")


def test_revoked_and_expired_invitation_links_are_refused(engagement, owner):
    services.member_invite(engagement=engagement, actor=owner, email="a@client-a.example", role="viewer")
    mail_drain()
    token_a = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    services.invitation_revoke(invitation=Invitation.objects.get(email="a@client-a.example"), actor=owner)
    assert services.invitation_by_token(token_a) is None

    services.member_invite(engagement=engagement, actor=owner, email="b@client-a.example", role="viewer")
    mail_drain()
    token_b = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    Invitation.objects.filter(email="b@client-a.example").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.invitation_by_token(token_b) is None
    assert services.invitation_by_token("forged-" + token_b[7:]) is None


def test_an_invitation_rejects_a_weak_password(engagement, owner):
    services.member_invite(engagement=engagement, actor=owner, email="weak@client-a.example", role="viewer")
    mail_drain()
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    with pytest.raises(ServiceError) as excinfo:
        services.invitation_accept(token=token, username="weak", password="123")
    assert excinfo.value.field == "password"
    assert services.invitation_by_token(token) is not None  # still usable after a failed attempt
