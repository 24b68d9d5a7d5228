"""API tokens die with the password, and the account page lists and revokes them."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from certprep.accounts.models import ApiToken
from certprep.accounts.services import token_issue
from certprep.engagements.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "another long passphrase 7"


def _works(client, token):
    return client.get("/api/v1/engagements", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_changing_ones_own_password_ends_every_api_token(client, owner):
    tokens = [token_issue(user=owner)[0] for _ in range(2)]
    assert all(_works(client, t) for t in tokens)
    client.force_login(owner)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not any(_works(client, t) for t in tokens)
    assert not ApiToken.objects.filter(user=owner).exists()  # a dead token is removed when it is tried


def test_a_password_set_by_staff_in_the_admin_ends_the_tokens(client, owner):
    token, _record = token_issue(user=owner)
    staff = get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
    client.force_login(staff)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[owner.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert not _works(client, token)


def test_the_changepassword_command_ends_the_tokens(client, owner):
    token, _record = token_issue(user=owner)
    with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
        call_command("changepassword", "olivia", stdout=mock.MagicMock())
    assert not _works(client, token)


def test_set_password_and_save_ends_the_tokens_and_a_new_token_works(client, owner):
    old, _record = token_issue(user=owner)
    owner.set_password(NEW_PASSWORD)
    owner.save()
    assert not _works(client, old)
    new, _record = token_issue(user=owner)
    assert _works(client, new)


def test_the_account_page_lists_the_tokens_that_work(owner_client, owner):
    _token, record = token_issue(user=owner)
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=record.created_at)
    expired = token_issue(user=owner)[1]
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=record.created_at)
    page = owner_client.get(reverse("accounts:account")).content.decode()
    assert "API tokens" in page
    assert f"#{record.pk}" in page
    assert f"#{expired.pk}" not in page
    for header in ("Created", "Last used", "Expires"):
        assert f"<th>{header}</th>" in page
    assert reverse("accounts:token_revoke", args=[record.pk]) in page


def test_revoking_one_token_leaves_the_others(owner_client, owner, client):
    first, record = token_issue(user=owner)
    second, _other = token_issue(user=owner)
    body = owner_client.post(reverse("accounts:token_revoke", args=[record.pk]), follow=True).content.decode()
    assert "Token revoked" in body
    assert not _works(client, first)
    assert _works(client, second)


def test_revoke_all_ends_every_token(owner_client, owner, client):
    tokens = [token_issue(user=owner)[0] for _ in range(3)]
    body = owner_client.post(reverse("accounts:tokens_revoke_all"), follow=True).content.decode()
    assert "3 tokens revoked" in body
    assert not any(_works(client, t) for t in tokens)
    assert "No API tokens that still work." in body


def test_nobody_revokes_another_users_token(client, owner):
    token, record = token_issue(user=owner)
    mallory = UserFactory(username="mallory")
    client.force_login(mallory)
    assert client.post(reverse("accounts:token_revoke", args=[record.pk])).status_code == 404
    client.post(reverse("accounts:tokens_revoke_all"))
    assert f"#{record.pk}" not in client.get(reverse("accounts:account")).content.decode()
    assert _works(client, token)


def test_revoking_needs_a_post_with_a_csrf_token(owner):
    from django.test import Client

    _token, record = token_issue(user=owner)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.get(reverse("accounts:token_revoke", args=[record.pk])).status_code == 405
    assert strict.post(reverse("accounts:tokens_revoke_all")).status_code == 403
    assert ApiToken.objects.filter(pk=record.pk).exists()
