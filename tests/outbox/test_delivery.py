"""Mail that always arrives: queued with its change, delivered by the worker, each once."""

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from comments import moderation
from comments.models import Comment
from outbox import delivery
from outbox.messages import Message
from outbox.models import Email
from outbox.queue import send
from tests.factories import form_data, make_article, make_comment, make_user, post_url
from tests.mailserver import text_of

pytestmark = pytest.mark.django_db
Status = Email.Status


@pytest.fixture
def moderator():
    return make_user(group="Moderators", email="mod@example.org")


def note(to, key="note-1", **fields):
    return Message(key=key, kind="test note", to=to, subject="A note", text="Hello.", **fields)


def test_with_the_mail_server_down_for_an_hour_every_email_arrives_once_it_is_back(
    smtp_server, deliver, clock, moderator
):
    article = make_article(title="Tofersen results")
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    smtp_server.stop()
    Client().post(post_url(article), form_data(article, body="A new question"))
    moderation.reply(question, by=moderator, body="Our answer")
    for _ in range(12):
        deliver()
        clock.advance(minutes=5)
    assert Email.objects.filter(status=Status.RETRYING).count() == 2
    smtp_server.start()
    for _ in range(4):  # the next tries find the server back; later runs find nothing to do
        clock.advance(minutes=15)
        deliver()
    assert len(smtp_server.to("mod@example.org")) == 1
    assert len(smtp_server.to("asker@example.com")) == 1
    assert "Our answer" in text_of(smtp_server.to("asker@example.com")[0])
    assert set(Email.objects.values_list("status", flat=True)) == {Status.SENT}


def test_an_address_refused_for_good_is_recorded_and_never_tried_again(smtp_server, deliver, clock):
    smtp_server.refuse("gone@example.com")
    send([note("gone@example.com"), note("here@example.com", key="note-2")])
    deliver()
    refused = Email.objects.get(to="gone@example.com")
    assert refused.status == Status.FAILED
    assert refused.last_error == "gone@example.com: 550 5.1.1 No such mailbox here"
    assert len(smtp_server.to("here@example.com")) == 1  # the others still go
    clock.advance(days=1)
    deliver()
    refused.refresh_from_db()
    assert refused.status == Status.FAILED and refused.attempts == 1


def test_a_server_that_says_try_later_gets_the_email_later(smtp_server, deliver, clock):
    smtp_server.refuse("busy@example.com", for_good=False)
    send([note("busy@example.com")])
    deliver()
    waiting = Email.objects.get()
    assert waiting.status == Status.RETRYING
    assert waiting.last_error.startswith("busy@example.com: 451")
    smtp_server.recorder.refuse_for_now.clear()
    clock.advance(minutes=1)
    deliver()
    assert len(smtp_server.to("busy@example.com")) == 1


def test_retries_wait_longer_each_time_up_to_a_quarter_of_an_hour(smtp_server, deliver, clock):
    smtp_server.stop()
    send([note("reader@example.com")])
    waits = []
    for _ in range(8):
        deliver()
        email = Email.objects.get()
        waits.append(round((email.next_attempt_at - timezone.now()).total_seconds()))
        clock.advance(seconds=waits[-1])
    assert waits == [30, 60, 120, 300, 600, 900, 900, 900]


def test_after_three_days_of_failures_an_email_is_given_up_with_the_reason(
    smtp_server, deliver, clock
):
    smtp_server.stop()
    send([note("reader@example.com")])
    clock.advance(days=3, minutes=1)
    deliver()
    email = Email.objects.get()
    assert email.status == Status.FAILED
    assert email.last_error.startswith("Gave up after 1 attempts over 3 days: ConnectionRefused")


def test_running_the_worker_again_sends_nothing_twice(smtp_server, deliver):
    send([note("reader@example.com")])
    deliver()
    deliver()
    assert len(smtp_server.messages) == 1


def test_storing_the_same_message_twice_sends_it_once(smtp_server, deliver):
    send([note("reader@example.com")])
    send([note("reader@example.com")])
    deliver()
    assert Email.objects.count() == 1 and len(smtp_server.messages) == 1


def test_emails_claimed_by_a_worker_that_died_are_sent_after_ten_minutes(
    smtp_server, deliver, clock
):
    send([note("reader@example.com")])
    Email.objects.update(status=Status.SENDING, claimed_at=timezone.now())  # then it died
    deliver()
    assert smtp_server.messages == []  # it might still be sending
    clock.advance(minutes=11)
    deliver()
    assert len(smtp_server.messages) == 1


def test_an_email_of_a_change_that_rolled_back_is_never_sent(smtp_server, deliver, moderator):
    article = make_article()
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        moderation.reply(question, by=moderator, body="An answer that is never saved")
        raise RuntimeError("the request failed after the reply")
    deliver()
    assert not Comment.objects.filter(is_staff_reply=True).exists()
    assert smtp_server.messages == []


def test_a_reader_email_carries_one_click_unsubscribe_headers(smtp_server, deliver):
    send([note("reader@example.com", unsubscribe_url="https://news.example.org/u/abc/")])
    deliver()
    message = smtp_server.messages[0]
    assert message["List-Unsubscribe"] == "<https://news.example.org/u/abc/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_admin_shows_what_became_of_each_email_and_sends_failed_ones_again(
    client, smtp_server, deliver
):
    smtp_server.refuse("typo@example.con")
    send([note("typo@example.con"), note("fine@example.com", key="note-2")])
    deliver()
    client.force_login(make_user(group="Editors"))
    listing = client.get("/admin/outbox/email/").content.decode()
    assert "Sent: 1" in listing and "Failed: 1" in listing
    failed = Email.objects.get(status=Status.FAILED)
    page = client.get(f"/admin/outbox/email/{failed.pk}/change/").content.decode()
    assert "550 5.1.1 No such mailbox here" in page
    smtp_server.recorder.refuse_for_good.clear()  # staff fixed the address at the server
    client.post(
        "/admin/outbox/email/", {"action": "retry_selected", "_selected_action": [failed.pk]}
    )
    deliver()
    assert len(smtp_server.to("typo@example.con")) == 1
    failed.refresh_from_db()
    assert failed.status == Status.SENT


def test_moderators_see_the_outbox_but_cannot_send_emails_again(client, moderator):
    send([note("reader@example.com")])
    client.force_login(moderator)
    listing = client.get("/admin/outbox/email/")
    assert listing.status_code == 200
    assert "retry_selected" not in listing.content.decode()


def test_a_quiet_worker_queues_its_next_run_for_when_the_next_retry_is_due(
    smtp_server, deliver, clock
):
    from django_tasks_db.models import DBTaskResult

    smtp_server.stop()
    send([note("reader@example.com")])
    deliver()
    waiting = DBTaskResult.objects.filter(status="READY")
    assert [task.run_after for task in waiting] == [Email.objects.get().next_attempt_at]
    deliver()  # nothing is due: it queues no second run for the same moment
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert delivery.deliver_due().sent == 0


def test_double_brackets_in_a_single_emails_text_arrive_as_written(smtp_server, deliver):
    send([Message(key="brackets", kind="test note", to="reader@example.com", subject="A note",
                   text="See [[reference 2]] and [[x]].")])  # fmt: skip
    deliver()
    assert "See [[reference 2]] and [[x]]." in text_of(smtp_server.messages[0])


def test_an_email_that_cannot_be_built_fails_alone_and_the_rest_are_sent(smtp_server, deliver):
    send([
        Message(key="bad", kind="test note", to="a@example.com", subject="Two\nlines", text="x"),
        note("b@example.com", key="good"),
    ])  # fmt: skip
    deliver()
    bad = Email.objects.get(key="bad")
    assert bad.status == Status.FAILED and "BadHeaderError" in bad.last_error
    assert Email.objects.get(key="good").status == Status.SENT
    assert len(smtp_server.to("b@example.com")) == 1


def test_with_the_server_down_a_delivery_run_tries_it_once_not_once_a_batch(
    smtp_server, deliver, monkeypatch
):
    send([note(f"r{n}@example.com", key=f"n{n}") for n in range(delivery.BATCH * 3)])
    smtp_server.stop()
    opened = []
    real_open = delivery.send_claimed

    def counting(emails):
        opened.append(len(emails))
        return real_open(emails)

    monkeypatch.setattr(delivery, "send_claimed", counting)
    deliver()
    assert opened == [delivery.BATCH]
    assert Email.objects.filter(status=Status.RETRYING).count() == delivery.BATCH
    assert Email.objects.filter(status=Status.QUEUED).count() == delivery.BATCH * 2


def test_an_email_another_worker_took_over_is_neither_sent_nor_recorded_twice(smtp_server):
    send([note("reader@example.com")])
    (email,) = delivery.claim(10)
    later = email.claimed_at + delivery.CLAIM_TIMEOUT
    Email.objects.update(claimed_at=later)  # a second worker claimed it meanwhile
    assert delivery.send_claimed([email]) == 0
    assert smtp_server.messages == []
    assert Email.objects.get().claimed_at == later  # its claim is left alone


def test_retrying_from_the_admin_never_sends_a_sent_email_again(client, smtp_server, deliver):
    send([note("fine@example.com")])
    deliver()
    client.force_login(make_user(group="Editors"))
    sent = Email.objects.get()
    client.post("/admin/outbox/email/", {"action": "retry_selected", "_selected_action": [sent.pk]})
    deliver()
    assert len(smtp_server.to("fine@example.com")) == 1


def test_a_connection_that_breaks_mid_batch_ends_the_run_until_the_retry(
    smtp_server, deliver, monkeypatch
):
    import smtplib

    from django.core.mail.backends.smtp import EmailBackend

    def broken(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    send([note(f"r{n}@example.com", key=f"n{n}") for n in range(delivery.BATCH * 2)])
    deliver()
    assert Email.objects.filter(status=Status.RETRYING).count() == delivery.BATCH
    assert Email.objects.filter(status=Status.QUEUED).count() == delivery.BATCH


def test_staff_reading_the_outbox_never_see_a_readers_signed_links():
    from outbox.admin import hide_links

    text = (
        "Confirm: https://news.example/subscribe/confirm/eyJhIjoxfQ:1x:abc/\n"
        "Manage: https://news.example/subscribe/manage/eyJhIjoxfQ:1x:def/\n"
        "Stop: https://news.example/comments/unsubscribe/MTI:1x:ghi/\n"
        "Read: https://news.example/articles/tofersen/"
    )
    hidden = hide_links(text)
    for token in ("abc", "def", "ghi"):
        assert token not in hidden
    assert "https://news.example/subscribe/confirm/(link hidden)/" in hidden
    assert "https://news.example/articles/tofersen/" in hidden
