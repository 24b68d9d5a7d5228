from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from certprep.core.errors import ConflictError
from certprep.core.feedback import attempt_with_version

OUT_OF_DATE = "This form is out of date: open the page again."


def _post(data: dict[str, str]):
    request = RequestFactory().post("/remove/", data)
    request._messages = CookieStorage(request)
    return request


def _shown(request) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in request._messages]


def test_a_missing_or_broken_version_is_out_of_date_and_calls_nothing():
    for data in ({}, {"expected_version": ""}, {"expected_version": "0"}, {"expected_version": "two"}):
        called: list[int] = []
        request = _post(data)
        assert attempt_with_version(request, called.append, "Removed.") is None
        assert called == []
        assert _shown(request) == [(messages.ERROR, OUT_OF_DATE)]


def test_a_valid_version_reaches_the_action_as_a_number_and_says_so():
    request = _post({"expected_version": "7"})
    result = attempt_with_version(request, lambda version: version * 2, lambda doubled: f"Done {doubled}.")
    assert result == 14
    assert _shown(request) == [(messages.SUCCESS, "Done 14.")]


def test_a_refused_action_shows_the_services_message_and_returns_none():
    def refuse(version: int) -> bool:
        raise ConflictError(f"Someone else changed it after version {version}.")

    request = _post({"expected_version": "3"})
    assert attempt_with_version(request, refuse, "Removed.") is None
    assert _shown(request) == [(messages.ERROR, "Someone else changed it after version 3.")]
