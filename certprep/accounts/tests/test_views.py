from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_sign_in_and_out(client, owner, engagement):
    response = client.post(reverse("accounts:login"), {"username": "olivia", "password": PASSWORD}, follow=True)
    assert "Client A preparation" in response.content.decode()
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert client.get(reverse("engagements:list")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = client.post(reverse("accounts:login"), {"username": "olivia", "password": "wrong"})
    assert response.status_code == 200
    assert "Wrong user name or password" in response.content.decode()


def test_failed_sign_ins_are_rate_limited_even_with_the_right_password_afterwards(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "olivia", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert client.get(reverse("engagements:list")).status_code == 302


def test_password_change(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long passphrase 7",
            "new_password2": "another long passphrase 7",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("another long passphrase 7")
