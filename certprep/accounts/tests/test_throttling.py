"""Sign-in throttling behind a reverse proxy: the real client address, no lock-out from elsewhere, and a
limit on one address trying many user names."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from certprep.accounts.throttling import client_ip_address
from certprep.engagements.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.2"
BEHIND_PROXY = override_settings(
    AXES_CLIENT_IP_CALLABLE="certprep.accounts.throttling.client_ip_address",
    CERTPREP_PROXY_HEADER="X-Forwarded-For",
    CERTPREP_PROXY_COUNT=1,
)


def _sign_in(client, username, password, *, address):
    # Every request reaches certprep from the proxy; the proxy appends the client's address to the header.
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@BEHIND_PROXY
def test_a_lock_out_from_one_address_does_not_block_the_right_password_from_another(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "olivia", "wrong", address="203.0.113.5")
    assert _sign_in(client, "olivia", PASSWORD, address="203.0.113.5").status_code == 429
    response = _sign_in(client, "olivia", PASSWORD, address="198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("engagements:list")


@BEHIND_PROXY
def test_one_address_trying_many_user_names_is_paused(client, owner, settings):
    assert settings.CERTPREP_LOGIN_ADDRESS_FAILURE_LIMIT == 30 > settings.AXES_FAILURE_LIMIT
    for n in range(settings.CERTPREP_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        response = _sign_in(client, f"user{n}", "Summer2026!", address="203.0.113.9")
        assert response.status_code == 200  # each user name failed once: no per-name pause
    assert _sign_in(client, "user99", "Summer2026!", address="203.0.113.9").status_code == 429  # the 30th failure
    paused = _sign_in(client, "olivia", PASSWORD, address="203.0.113.9")
    assert paused.status_code == 429
    assert "30 failed sign-ins" in paused.content.decode()
    assert _sign_in(client, "olivia", PASSWORD, address="198.51.100.7").status_code == 302


def test_without_the_proxy_setting_the_header_is_ignored(client, owner, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": "olivia", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        reverse("accounts:login"), {"username": "olivia", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 429  # a client cannot pick its own address by sending the header


@pytest.mark.parametrize(
    ("header", "count", "expected"),
    [
        ("203.0.113.5", 1, "203.0.113.5"),
        ("6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),  # what the client wrote itself is not trusted
        ("6.6.6.6, 203.0.113.5, 10.0.0.9", 2, "203.0.113.5"),  # two proxies: the second appends the first
        ("203.0.113.5", 2, PROXY),  # fewer entries than proxies: not through the proxies, keep REMOTE_ADDR
        ("", 1, PROXY),
        ("not-an-address", 1, PROXY),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_from_the_trusted_end_of_the_header(header, count, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    with override_settings(CERTPREP_PROXY_HEADER="X-Forwarded-For", CERTPREP_PROXY_COUNT=count):
        assert client_ip_address(request) == expected


@override_settings(CERTPREP_PROXY_HEADER="X-Real-IP", CERTPREP_PROXY_COUNT=1)
def test_another_proxy_header_can_be_configured():
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.5", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip_address(request) == "203.0.113.5"


def test_unrelated_user_names_from_one_address_stay_below_the_address_limit(client, settings):
    UserFactory(username="nina")
    for n in range(settings.CERTPREP_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        client.post(reverse("accounts:login"), {"username": f"user{n}", "password": "wrong"})
    assert client.post(reverse("accounts:login"), {"username": "nina", "password": PASSWORD}).status_code == 302
