"""The outbox (core.mail, core.outbox): an e-mail is a row and a queued task written with the change that causes it,
sent by the worker's code, its body (personal links) cleared once sent or given up; a refusing mail server is tried
again after 1 and 5 minutes, then the message fails with the reason; a worker killed while sending is recovered."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certprep.core.background import job_begin, recover
from certprep.core.jobs import OUTBOX
from certprep.core.mail import mail_send
from certprep.core.models import OutboxMessage
from certprep.core.outbox import mail_states, message_send
from certprep.core.tests.mail_queue import REFUSING, WORKER_ID, mail_drain

pytestmark = pytest.mark.django_db

LINK = "https://certprep.example/s/secret-token/"


def _send(**extra) -> OutboxMessage:
    return mail_send(
        subject="Survey: Spring",
        body=f"Hello Ann, your link: {LINK}",
        to=[("Ann Lee", "ann@client-a.example")],
        **extra,
    )


def _task(message: OutboxMessage) -> DBTaskResult:
    message.refresh_from_db()
    return DBTaskResult.objects.get(id=message.task_result_id)


def _time_passes(message: OutboxMessage) -> None:
    """The retry's time has come (its task was queued to run later)."""
    DBTaskResult.objects.filter(id=_task(message).id).update(run_after=timezone.now())


def test_the_message_and_its_task_land_with_the_change_and_nothing_is_sent_in_the_request():
    message = _send(engagement_id=7, topic="survey.respondent", object_id=3)
    assert mail.outbox == []  # nothing sent by the caller
    stored = OutboxMessage.objects.get()
    assert (stored.status, stored.engagement_id, stored.topic, stored.object_id) == (
        "queued",
        7,
        "survey.respondent",
        3,
    )
    assert stored.to == ["Ann Lee <ann@client-a.example>"]
    task = _task(message)
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}


def test_a_rolled_back_change_leaves_neither_the_message_nor_its_task():
    def invite() -> None:
        with transaction.atomic():
            _send()
            raise RuntimeError("the invitation could not be saved")

    with pytest.raises(RuntimeError):
        invite()
    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert mail_drain() == 0
    assert mail.outbox == []


def test_the_worker_sends_it_and_clears_the_body_with_its_link():
    message = _send()
    assert mail_drain() == 1
    (sent,) = mail.outbox
    assert LINK in sent.body
    assert sent.to == ["Ann Lee <ann@client-a.example>"]
    message.refresh_from_db()
    assert message.status == "done"
    assert message.sent_at is not None
    assert message.body == ""
    assert message.attempts == 1
    assert message.worker_id == WORKER_ID
    assert _task(message).status == "SUCCESSFUL"
    assert mail_drain() == 0  # sent once


def test_header_safety_holds_in_the_stored_message():
    message = mail_send(
        subject="Spring\r\nBcc: victim@example.com", body="x", to=[("Ann\nBcc: a@b.c", "ann@x.example")]
    )
    message.refresh_from_db()
    assert message.subject == "Spring Bcc: victim@example.com"
    assert message.to == ['"Ann Bcc: a@b.c" <ann@x.example>']


def test_a_refusing_mail_server_is_tried_again_after_1_then_5_minutes_then_the_message_fails(settings):
    settings.MAILERS = REFUSING
    message = _send()

    before = timezone.now()
    assert mail_drain() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.message.startswith("The mail server refused or did not answer: SMTPRecipientsRefused")
    assert "trying again at" in message.message
    assert LINK in message.body  # kept for the next attempt
    retry = _task(message)
    assert retry.status == "READY"
    assert before + datetime.timedelta(minutes=1) <= retry.run_after <= timezone.now() + datetime.timedelta(minutes=1)
    assert retry.run_after.strftime("%H:%M UTC") in message.message
    assert mail_drain() == 0  # not before its time

    _time_passes(message)
    before = timezone.now()
    assert mail_drain() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 2)
    retry = _task(message)
    assert before + datetime.timedelta(minutes=5) <= retry.run_after <= timezone.now() + datetime.timedelta(minutes=5)

    _time_passes(message)
    assert mail_drain() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert message.body == ""
    assert message.sent_at is None
    assert message.message.startswith("The mail server refused or did not answer 3 times; the e-mail was not sent:")
    assert "Mailbox unavailable" in message.message
    assert mail_drain() == 0
    assert mail.outbox == []


def test_a_server_back_on_the_second_attempt_sends_it(settings):
    settings.MAILERS = REFUSING
    message = _send()
    mail_drain()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    _time_passes(message)
    assert mail_drain() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.message, message.body) == ("done", 2, "", "")
    assert len(mail.outbox) == 1


def _running_abandoned(message: OutboxMessage) -> None:
    """A worker began the message and was killed while sending: its heartbeat stopped long ago."""
    _task(message).claim("killed-worker")
    assert job_begin(message, worker_id="killed-worker", task_id=message.task_result_id)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    OutboxMessage.objects.filter(pk=message.pk).update(heartbeat_at=long_ago)


def test_a_message_whose_worker_was_killed_is_queued_again_and_sent():
    message = _send(topic="survey.respondent", object_id=5)
    _running_abandoned(message)

    done = recover([OUTBOX])
    assert done.restarted == [("core.outbox", message.pk)]
    message.refresh_from_db()
    assert (message.status, message.worker_stopped) == ("queued", True)
    assert LINK in message.body
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1  # the killed worker's task
    assert mail_drain() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.body) == ("done", 2, "")
    assert len(mail.outbox) == 1


def test_a_killed_worker_on_the_last_attempt_fails_the_message_and_clears_its_body():
    message = _send()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=2)
    _running_abandoned(message)

    done = recover([OUTBOX])
    assert done.failed == [("core.outbox", message.pk)]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.body) == ("failed", 3, "")
    assert "it was tried 3 times" in message.message


def test_a_page_never_shows_a_stopped_workers_message_as_sending():
    message = _send(topic="survey.respondent", object_id=5)
    _running_abandoned(message)
    states = mail_states("survey.respondent", [5, 6])
    assert list(states) == [5]
    assert states[5].status == "queued"
    assert states[5].worker_stopped


def test_a_message_deleted_before_its_worker_came_is_not_sent():
    message = _send()
    OutboxMessage.objects.filter(pk=message.pk).delete()
    assert mail_drain() == 1
    assert mail.outbox == []
    assert message_send(message.pk) is None


def test_the_states_shown_are_the_newest_message_of_each_object_in_one_query(django_assert_num_queries):
    for object_id in (1, 2, 2, 3):
        _send(topic="survey.respondent", object_id=object_id)
    _send(topic="engagements.invitation", object_id=1)
    newest = OutboxMessage.objects.filter(topic="survey.respondent", object_id=2).order_by("-pk").first()
    with django_assert_num_queries(1):
        states = mail_states("survey.respondent", [1, 2, 3, 4])
    assert sorted(states) == [1, 2, 3]
    assert states[2].pk == newest.pk
    assert states[1].topic == "survey.respondent"


@pytest.mark.django_db(transaction=True)
def test_manage_py_worker_sends_the_committed_message():
    """The real command, as deployed: `manage.py worker --batch` (db_worker with the recovery) sends what was
    committed and leaves the message done with its body cleared."""
    message = _send(topic="survey.respondent", object_id=9)
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0, worker_id="worker-m")
    message.refresh_from_db()
    assert (message.status, message.worker_id, message.body) == ("done", "worker-m", "")
    assert [m.to for m in mail.outbox] == [["Ann Lee <ann@client-a.example>"]]
    assert _task(message).status == "SUCCESSFUL"
