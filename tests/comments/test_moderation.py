"""Moderation steps, staff replies, notifications and the metadata purge."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains

from comments import moderation
from comments.models import Comment
from comments.notifications import comment_for_token, unsubscribe_token
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = pytest.mark.django_db


def absolute_url(token):
    from outbox.messages import absolute

    return absolute(f"/comments/unsubscribe/{token}/")


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
    client, article, moderator, deliver
):
    make_user(group="Authors", email="author@example.org")
    client.post(post_url(article), form_data(article, body="Please read me"))
    deliver()
    comment = Comment.objects.get()
    assert [message.to for message in mail.outbox] == [["g@example.org"]]
    message = mail.outbox[0]
    assert "Tofersen results" in message.subject
    assert "Please read me" in message.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body
    assert "First comment from this email address" in message.body


def test_a_commenter_who_asked_hears_about_a_staff_reply_with_an_unsubscribe_link(
    article, moderator, deliver
):
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    moderation.reply(question, by=moderator, body="Here is our answer.")
    deliver()
    message = mail.outbox[0]
    assert message.to == ["asker@example.com"]
    assert "Grace L (staff) replied to your comment" in message.subject
    assert "Here is our answer." in message.body
    # A signed token carries the time it was made: compare what it says, not its text.
    token = re.search(r"/comments/unsubscribe/([^/\s]+)/", message.body).group(1)
    assert comment_for_token(token) == question.pk
    assert message.extra_headers["List-Unsubscribe"] == f"<{absolute_url(token)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_commenter_who_asked_hears_about_a_readers_reply_once_approved(
    article, moderator, deliver
):
    parent = make_comment(article, email="asker@example.com", notify_replies=True)
    reply = make_comment(article, parent=parent, status=Status.PENDING, name="Helen")
    assert mail.outbox == []
    moderation.approve(Comment.objects.filter(pk=reply.pk), by=moderator)
    deliver()
    assert [message.to for message in mail.outbox] == [["asker@example.com"]]
    assert "Helen replied" in mail.outbox[0].subject


def test_nobody_is_emailed_about_replies_unless_they_asked(article, moderator, deliver):
    question = make_comment(article, notify_replies=False)
    moderation.reply(question, by=moderator, body="Answer")
    deliver()
    assert mail.outbox == []


def test_the_unsubscribe_link_stops_emails_about_that_conversation_only(client, article):
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    other = make_comment(make_article(), email="ASKER@example.com", notify_replies=True)
    url = f"/comments/unsubscribe/{unsubscribe_token(question)}/"
    assertContains(client.get(url), "Stop emails about this conversation")
    response = client.post(url, {"stop": "conversation"})
    assertContains(response, "You will not get emails about this conversation any more")
    question.refresh_from_db()
    other.refresh_from_db()
    assert not question.notify_replies and other.notify_replies


def test_the_unsubscribe_page_can_stop_every_reply_email_to_the_address(client, article):
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    other = make_comment(make_article(), email="ASKER@example.com", notify_replies=True)
    someone_else = make_comment(article, email="helen@example.com", notify_replies=True)
    url = f"/comments/unsubscribe/{unsubscribe_token(question)}/"
    assertContains(client.get(url), "Stop all reply emails")
    response = client.post(url, {"stop": "all"})
    assertContains(response, "You will not get reply emails any more")
    question.refresh_from_db()
    other.refresh_from_db()
    someone_else.refresh_from_db()
    assert not question.notify_replies and not other.notify_replies
    assert someone_else.notify_replies


def test_unsubscribing_from_a_conversation_twice_changes_nothing_the_second_time(article):
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    assert moderation.stop_conversation_emails(question) == 1
    assert moderation.stop_conversation_emails(question) == 0


def test_a_mail_programs_one_click_unsubscribe_works_without_a_cookie_or_token(article):
    from django.test import Client

    question = make_comment(article, email="asker@example.com", notify_replies=True)
    other = make_comment(article, email="asker@example.com", notify_replies=True)
    provider = Client(enforce_csrf_checks=True)  # as Gmail's servers: no cookie, no CSRF token
    response = provider.post(
        f"/comments/unsubscribe/{unsubscribe_token(question)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    question.refresh_from_db()
    other.refresh_from_db()
    assert not question.notify_replies and other.notify_replies


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


def test_a_mail_server_that_is_down_never_loses_a_comment(client, article, moderator, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    response = client.post(post_url(article), form_data(article, body="Kept safe"))
    assert response.status_code == 302
    assert Comment.objects.get().body == "Kept safe"


def test_posting_a_comment_never_talks_to_the_mail_server(
    client, article, moderator, monkeypatch, deliver
):
    import django.core.mail

    def no_mail_in_the_request(*args, **kwargs):
        raise AssertionError("the request tried to send mail")

    with monkeypatch.context() as patched:
        patched.setattr(django.core.mail, "get_connection", no_mail_in_the_request)
        assert client.post(post_url(article), form_data(article)).status_code == 302
    assert mail.outbox == []
    deliver()  # the worker sends it
    assert [message.to for message in mail.outbox] == [["g@example.org"]]


def test_all_moderators_are_emailed_over_one_connection(client, article, moderator, deliver):
    make_user(group="Editors", email="editor@example.org")
    client.post(post_url(article), form_data(article))
    deliver()
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
