"""E-mail headers never carry user text unsanitized (core.mail)."""

from __future__ import annotations

import pytest
from django.core import mail

from certprep.core.mail import header_text, mail_send, mailbox
from certprep.core.tests.mail_queue import mail_drain


@pytest.mark.django_db
def test_user_text_in_the_subject_and_the_names_stays_on_one_line():
    mail_send(
        subject="Survey: Spring\r\nBcc: victim@example.com",
        body="Hello",
        to=[("Ann\r\nBcc: thief@example.com", "ann@client-a.example"), "bob@client-a.example"],
    )
    mail_drain()
    (message,) = mail.outbox
    assert message.subject == "Survey: Spring Bcc: victim@example.com"
    assert message.recipients() == ['"Ann Bcc: thief@example.com" <ann@client-a.example>', "bob@client-a.example"]
    raw = message.message().as_string()
    headers = raw.split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    assert [line for line in headers.splitlines() if line.startswith("To:")] == [
        'To: "Ann Bcc: thief@example.com" <ann@client-a.example>, bob@client-a.example'
    ]


def test_header_text_drops_bidirectional_controls_and_keeps_headers_short():
    assert header_text("Spring \u202esurvey\u202c\t2027") == "Spring survey 2027"
    long = header_text("x" * 500)
    assert len(long) == 200
    assert long.endswith("…")


@pytest.mark.django_db
def test_a_name_with_non_latin_letters_is_kept():
    assert mailbox("李娜", "li.na@client-a.example") == "李娜 <li.na@client-a.example>"
    assert mailbox("", "li.na@client-a.example") == "li.na@client-a.example"
    mail_send(subject="问卷 Survey", body="您好", to=[("李娜", "li.na@client-a.example")])
    mail_drain()
    message = mail.outbox[0].message()
    assert str(message["To"]) == "李娜 <li.na@client-a.example>"
    assert str(message["Subject"]) == "问卷 Survey"
