"""A small HTTP client for the tests that talk to real certprep servers: the standard library only (urllib, with
http.cookiejar keeping the cookies a browser would keep). One Visitor is one browser (or one API client): its
cookies go with it from one server to the other, as behind a load balancer, where every server has the same name.

Every request is bounded in time; an HTTP error is an answer like any other (its status and body are returned,
never raised), so a test can assert a refusal."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from email.message import Message
from typing import Any

TIMEOUT = 60.0  # seconds for one request: longer than any page takes on a busy 2-core machine


@dataclass
class Answer:
    """What the server answered: status, headers and the whole body."""

    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to assert (where a sign-in leads), not something to follow silently."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Visitor:
    """One client with its cookies and, for the API, its bearer token."""

    def __init__(self, token: str = "") -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.token = token
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")

    def request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = TIMEOUT,
    ) -> Answer:
        sent = dict(headers or {})
        if self.token:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        if method != "GET":
            # What a browser sends with a form or a fetch: the origin of the page, and the CSRF token it holds.
            origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url))
            sent.setdefault("Origin", origin)
            if csrf := self.cookie("csrftoken"):
                sent.setdefault("X-CSRFToken", csrf)
        request = urllib.request.Request(url, data=body, headers=sent, method=method)  # noqa: S310 - 127.0.0.1 only
        try:
            with self._opener.open(request, timeout=timeout) as reply:
                return Answer(reply.status, reply.headers, reply.read())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.headers, error.read())

    def get(self, url: str, **headers: str) -> Answer:
        return self.request("GET", url, headers=headers)

    def post_form(self, url: str, fields: dict[str, str], **headers: str) -> Answer:
        body = urllib.parse.urlencode(fields).encode()
        return self.request(
            "POST", url, body=body, headers={"Content-Type": "application/x-www-form-urlencoded", **headers}
        )

    def post_json(self, url: str, data: Any) -> Answer:
        return self.request("POST", url, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})

    def post_file(self, url: str, field: str, name: str, content: bytes, fields: dict[str, str]) -> Answer:
        """A multipart form with one file, as a browser or an API client uploads it."""
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for key, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", url, body=b"".join(parts), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def sign_in(self, server: str, username: str, password: str) -> Answer:
        """The sign-in page as a person uses it: open it (the CSRF cookie and the form's token), then send it."""
        page = self.get(f"{server}/accounts/signin/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        token = found.group(1) if found else ""
        return self.post_form(
            f"{server}/accounts/signin/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
            Referer=f"{server}/accounts/signin/",
        )


def api_token(server: str, username: str, password: str) -> Answer:
    """POST /api/v1/auth/token: the answer (a token in its JSON when the password is right)."""
    return Visitor().post_json(f"{server}/api/v1/auth/token", {"username": username, "password": password})
