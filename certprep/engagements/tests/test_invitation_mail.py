"""An invitation's e-mail goes through the outbox: the members page shows whether it is waiting, sent or failed
(in English and Chinese, with the same queries for few and many invitations); a failed invitation leaves neither an
invitation nor an e-mail; deleting the engagement deletes its e-mail, which is then never sent."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from certprep.core.errors import ServiceError
from certprep.core.models import OutboxMessage
from certprep.core.tests.mail_queue import mail_drain
from certprep.engagements import services
from certprep.engagements.models import Invitation

pytestmark = pytest.mark.django_db


def _invitations(owner_client, engagement, language: str = "en") -> str:
    html = owner_client.get(
        reverse("engagements:members", args=[engagement.pk]), headers={"accept-language": language}
    ).content.decode()
    card = html.split("Open invitations" if language == "en" else "待处理的邀请", 1)[1].split("</ul>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


def _invite(engagement, owner, email: str) -> Invitation:
    return services.member_invite(engagement=engagement, actor=owner, email=email, role="editor")


def test_the_members_page_shows_each_invitations_e_mail_state_in_english_and_chinese(owner_client, engagement, owner):
    first = _invite(engagement, owner, "ann@client-a.example")
    assert "ann@client-a.example · Editor" in _invitations(owner_client, engagement)
    assert "e-mail waiting to be sent" in _invitations(owner_client, engagement)
    mail_drain()
    second = _invite(engagement, owner, "bob@client-a.example")
    OutboxMessage.objects.filter(object_id=second.pk).update(status="failed", message="SMTPServerDisconnected")

    text = _invitations(owner_client, engagement)
    assert re.search(r"ann@client-a\.example .* e-mail sent \d", text)
    assert "bob@client-a.example · Editor" in text
    assert "e-mail failed SMTPServerDisconnected" in text
    zh = _invitations(owner_client, engagement, "zh-hans")
    assert "邮件已于" in zh
    assert "邮件发送失败 SMTPServerDisconnected" in zh
    (sent,) = mail.outbox
    assert sent.to == ["ann@client-a.example"]
    assert first.link in sent.body  # type: ignore[attr-defined]


def test_the_members_page_reads_the_e_mail_states_with_the_same_queries_for_few_and_many(
    owner_client, engagement, owner
):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(reverse("engagements:members", args=[engagement.pk])).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        _invite(engagement, owner, f"few{n}@client-a.example")
    small = count()
    for n in range(8):
        _invite(engagement, owner, f"many{n}@client-a.example")
    mail_drain()
    assert count() == small
    assert _invitations(owner_client, engagement).count("e-mail sent") == 10


def test_a_refused_invitation_leaves_no_e_mail(engagement, owner):
    _invite(engagement, owner, "ann@client-a.example")
    with pytest.raises(ServiceError):
        _invite(engagement, owner, "ann@client-a.example")  # an open invitation exists already
    assert OutboxMessage.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_deleting_the_engagement_deletes_its_e_mail_and_it_is_never_sent(engagement, owner):
    _invite(engagement, owner, "ann@client-a.example")
    other = services.engagement_create(user=owner, name="Other client", organization_name="Other Ltd")
    _invite(other, owner, "bob@other.example")
    engagement.refresh_from_db()

    services.engagement_delete(engagement=engagement, actor=owner, version=engagement.version)

    assert list(OutboxMessage.objects.values_list("engagement_id", flat=True)) == [other.pk]
    assert mail_drain() == 2  # both tasks run; the deleted engagement's finds nothing to send
    assert [m.to for m in mail.outbox] == [["bob@other.example"]]
