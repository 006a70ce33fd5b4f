"""Moderation steps, staff replies, notifications and the metadata purge."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains

from comments import moderation
from comments.models import Comment
from comments.notifications import unsubscribe_token
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


@pytest.fixture
def moderator():
    return make_user(group="Moderators", first_name="Grace", last_name="L", email="g@example.org")


def test_approving_publishes_and_records_who_and_when(article, moderator):
    comment = make_comment(article, status=Status.PENDING)
    assert moderation.approve(Comment.objects.all(), by=moderator) == 1
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.moderated_by == moderator
    assert timezone.now() - comment.moderated_at < timedelta(minutes=1)
    article.refresh_from_db()
    assert article.comment_count == 1


@pytest.mark.parametrize("step, status", [(moderation.reject, Status.REJECTED),
                                          (moderation.mark_spam, Status.SPAM)])  # fmt: skip
def test_rejecting_or_marking_spam_hides_a_comment_and_lowers_the_count(
    article, moderator, step, status
):
    comment = make_comment(article)
    moderation.refresh_counts([article.pk])
    step(Comment.objects.all(), by=moderator)
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == status and comment.moderated_by == moderator
    assert article.comment_count == 0


def test_moderating_twice_changes_nothing_the_second_time(article, moderator):
    make_comment(article, status=Status.PENDING)
    moderation.approve(Comment.objects.all(), by=moderator)
    assert moderation.approve(Comment.objects.all(), by=moderator) == 0


def test_a_staff_reply_is_approved_at_once_and_approves_a_waiting_parent(article, moderator):
    question = make_comment(article, status=Status.PENDING)
    answer = moderation.reply(question, by=moderator, body="Please ask your neurologist.")
    question.refresh_from_db()
    assert question.status == Status.APPROVED and question.moderated_by == moderator
    assert answer.status == Status.APPROVED and answer.is_staff_reply
    assert answer.parent == question and answer.depth == 1
    assert answer.name == "Grace L" and answer.staff_author == moderator
    article.refresh_from_db()
    assert article.comment_count == 2


def test_moderators_get_an_email_for_each_held_comment_with_a_link_to_it(
    client, article, moderator, django_capture_on_commit_callbacks
):
    make_user(group="Authors", email="author@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), form_data(article, body="Please read me"))
    comment = Comment.objects.get()
    assert [message.to for message in mail.outbox] == [["g@example.org"]]
    message = mail.outbox[0]
    assert "Tofersen results" in message.subject
    assert "Please read me" in message.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body
    assert "First comment from this email address" in message.body


def test_a_commenter_who_asked_hears_about_a_staff_reply_with_an_unsubscribe_link(
    article, moderator, django_capture_on_commit_callbacks
):
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reply(question, by=moderator, body="Here is our answer.")
    message = mail.outbox[0]
    assert message.to == ["asker@example.com"]
    assert "Grace L (staff) replied to your comment" in message.subject
    assert "Here is our answer." in message.body
    token = unsubscribe_token(question)
    assert f"/comments/unsubscribe/{token}/" in message.body
    assert token in message.extra_headers["List-Unsubscribe"]


def test_a_commenter_who_asked_hears_about_a_readers_reply_once_approved(
    article, moderator, django_capture_on_commit_callbacks
):
    parent = make_comment(article, email="asker@example.com", notify_replies=True)
    reply = make_comment(article, parent=parent, status=Status.PENDING, name="Helen")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(Comment.objects.filter(pk=reply.pk), by=moderator)
    assert [message.to for message in mail.outbox] == [["asker@example.com"]]
    assert "Helen replied" in mail.outbox[0].subject


def test_nobody_is_emailed_about_replies_unless_they_asked(
    article, moderator, django_capture_on_commit_callbacks
):
    question = make_comment(article, notify_replies=False)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reply(question, by=moderator, body="Answer")
    assert mail.outbox == []


def test_the_unsubscribe_link_turns_reply_emails_off_with_one_click(client, article):
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    other = make_comment(make_article(), email="ASKER@example.com", notify_replies=True)
    url = f"/comments/unsubscribe/{unsubscribe_token(question)}/"
    assertContains(client.get(url), "Stop reply emails")
    response = client.post(url)
    assertContains(response, "You will not get reply emails any more")
    question.refresh_from_db()
    other.refresh_from_db()
    assert not question.notify_replies and not other.notify_replies


def test_merely_opening_the_unsubscribe_link_changes_nothing(client, article):
    # Mail scanners open links; only the button's POST unsubscribes.
    question = make_comment(article, notify_replies=True)
    url = f"/comments/unsubscribe/{unsubscribe_token(question)}/"
    client.get(url)
    client.head(url)
    question.refresh_from_db()
    assert question.notify_replies


def test_a_forged_unsubscribe_link_is_not_found(client):
    assert client.get("/comments/unsubscribe/forged-token/").status_code == 404


def test_a_mail_server_failure_never_loses_a_comment(
    client, article, moderator, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with (
        caplog.at_level(logging.ERROR, logger="alsblog.comments"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(post_url(article), form_data(article, body="Kept safe"))
    assert response.status_code == 302
    assert Comment.objects.get().body == "Kept safe"
    assert "Could not send the email" in caplog.text


def test_mail_goes_out_on_a_thread_of_its_own_so_a_slow_server_never_delays_a_reader(
    client, article, moderator, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import threading

    from comments import notifications

    settings.EMAIL_IN_BACKGROUND = True
    senders = []
    monkeypatch.setattr(
        notifications, "_deliver", lambda messages: senders.append(threading.current_thread())
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), form_data(article))
    for thread in threading.enumerate():
        if thread.name == "alsblog-mail":
            thread.join()
    assert [thread.name for thread in senders] == ["alsblog-mail"]


def test_all_moderators_are_emailed_over_one_connection(
    client, article, moderator, django_capture_on_commit_callbacks
):
    make_user(group="Editors", email="editor@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), form_data(article))
    assert sorted(message.to[0] for message in mail.outbox) == [
        "editor@example.org", "g@example.org"
    ]  # fmt: skip


def test_a_staff_reply_never_publishes_a_rejected_or_spam_comment(article, moderator):
    for status in (Status.REJECTED, Status.SPAM):
        comment = make_comment(article, status=status)
        with pytest.raises(moderation.Refused):
            moderation.reply(comment, by=moderator, body="Answer")
        comment.refresh_from_db()
        assert comment.status == status
    assert not Comment.objects.filter(is_staff_reply=True).exists()


def test_a_staff_member_with_a_very_long_name_can_still_reply(article):
    staff = make_user(group="Moderators", first_name="A" * 80, last_name="B" * 70)
    answer = moderation.reply(make_comment(article), by=staff, body="Answer")
    assert len(answer.name) == 100


def test_the_purge_forgets_addresses_older_than_ninety_days_only(article):
    old = make_comment(article, ip_address="203.0.113.1", user_agent="Old browser",
                       created_at=timezone.now() - timedelta(days=91))  # fmt: skip
    recent = make_comment(article, ip_address="203.0.113.2", user_agent="New browser",
                          created_at=timezone.now() - timedelta(days=89))  # fmt: skip
    call_command("purge_comment_metadata")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.2", "New browser")
