"""The writer is told what became of their comment: live, not published (and why), answered."""

import pytest
from django.core import mail
from django.test import Client

from comments import erasing, moderation
from comments.models import Comment, Event, Reason
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


@pytest.fixture
def moderator():
    return make_user(group="Moderators", first_name="Grace", last_name="L", email="g@example.org")


def held(article, **fields):
    return make_comment(
        article, status=Status.PENDING, email="writer@example.com", name="Marisol", **fields
    )


def only(queryset):
    return Comment.objects.filter(pk=queryset.pk)


def test_a_writer_who_ticked_the_box_gets_one_now_live_email_with_its_link(
    article, moderator, deliver
):
    comment = held(article, notify_replies=True)
    moderation.approve(only(comment), by=moderator)
    moderation.approve(only(comment), by=moderator)  # a second click changes nothing
    deliver()
    (message,) = mail.outbox
    assert message.to == ["writer@example.com"]
    assert message.subject == "Your comment is now live on “Tofersen results”"
    assert f"/comments/{comment.pk}/" in message.body
    link = Client().get(f"/comments/{comment.pk}/")
    assert link["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/comments/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_a_writer_who_did_not_tick_the_box_gets_no_email_on_approval(article, moderator, deliver):
    moderation.approve(only(held(article)), by=moderator)
    deliver()
    assert mail.outbox == []


def test_a_rejection_with_a_reason_sends_one_kind_email_with_that_reasons_text(
    article, moderator, deliver
):
    comment = held(article, body="My husband takes 100 mg, is that right?")
    reason = Reason.objects.get(title="We cannot give medical advice")
    moderation.reject(only(comment), by=moderator, reason=reason)
    deliver()
    (message,) = mail.outbox
    assert message.to == ["writer@example.com"]
    assert message.subject == "About your comment on “Tofersen results”"
    assert reason.email_text in message.body
    assert "My husband takes 100 mg" in message.body  # they keep what they wrote
    assert "List-Unsubscribe" in message.extra_headers
    event = Event.objects.get(comment=comment, kind=Event.Kind.REJECTED)
    assert (event.by, event.reason) == (moderator, reason)


def test_a_rejection_without_a_reason_sends_nothing(article, moderator, deliver):
    moderation.reject(only(held(article, notify_replies=True)), by=moderator)
    deliver()
    assert mail.outbox == []


def test_spam_is_never_answered(article, moderator, deliver):
    moderation.mark_spam(only(held(article, notify_replies=True)), by=moderator)
    deliver()
    assert mail.outbox == []


def test_a_comment_approved_again_before_the_worker_runs_gets_no_rejection_email(
    article, moderator, deliver
):
    comment = held(article)
    moderation.reject(only(comment), by=moderator, reason=Reason.objects.first())
    moderation.approve(only(comment), by=moderator)
    deliver()
    assert [m.subject for m in mail.outbox] == []


def test_a_private_answer_reaches_the_writer_and_publishes_nothing(article, moderator, deliver):
    comment = held(article, body="Where is the nearest clinic to Tulsa?")
    moderation.reply_privately(comment, by=moderator, body="The Tulsa clinic is on 5th Street.")
    deliver()
    (message,) = mail.outbox
    assert message.to == ["writer@example.com"]
    assert "The Tulsa clinic is on 5th Street." in message.body
    assert message.extra_headers["Reply-To"] == "g@example.org"
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert not Comment.objects.filter(parent=comment).exists()  # nothing public was posted
    event = Event.objects.get(comment=comment, kind=Event.Kind.REPLIED_PRIVATELY)
    assert event.note == "The Tulsa clinic is on 5th Street."


def test_a_private_answer_can_reject_the_comment_in_the_same_step(article, moderator, deliver):
    comment = held(article)
    moderation.reply_privately(comment, by=moderator, body="Let us talk.", then_reject=True)
    deliver()
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED
    assert [m.subject for m in mail.outbox] == ["An answer to your comment on “Tofersen results”"]


def test_an_empty_private_answer_is_refused(article, moderator):
    with pytest.raises(moderation.Refused) as refusal:
        moderation.reply_privately(held(article), by=moderator, body="   ")
    assert refusal.value.field == "private_reply"
    assert not Event.objects.exists()


def test_redacting_publishes_the_edit_keeps_the_original_privately_and_records_both(
    client, article, moderator
):
    comment = held(article, body="Call me on 918 555 0142, I am Marisol Ortega.")
    moderation.edit_and_approve(comment, by=moderator, text="Call me, I am Marisol.")
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.body == "Call me, I am Marisol."
    assert comment.original_body == "Call me on 918 555 0142, I am Marisol Ortega."
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Call me, I am Marisol." in page
    assert "(edited by a moderator)" in page
    assert "918 555" not in page and "Ortega" not in page
    event = Event.objects.get(comment=comment, kind=Event.Kind.EDITED)
    assert event.text_before == "Call me on 918 555 0142, I am Marisol Ortega."
    assert event.text_after == "Call me, I am Marisol."


def test_a_redaction_that_empties_the_text_is_refused_and_changes_nothing(article, moderator):
    comment = held(article, body="My phone is 918 555 0142")
    with pytest.raises(moderation.Refused):
        moderation.edit_and_approve(comment, by=moderator, text="  \n ")
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.PENDING, "My phone is 918 555 0142")


def test_the_original_of_a_redaction_is_forgotten_with_the_ip_address(article, moderator, clock):
    comment = held(article, body="I am Marisol Ortega", ip_address="203.0.113.9")
    moderation.edit_and_approve(comment, by=moderator, text="I am Marisol")
    clock.advance(days=89)
    erasing.purge_metadata()
    comment.refresh_from_db()
    assert comment.original_body == "I am Marisol Ortega"
    clock.advance(days=2)
    erasing.purge_metadata()
    comment.refresh_from_db()
    assert (comment.original_body, comment.ip_address) == ("", None)
    assert comment.edited_by_moderator  # the page still says it was edited
    assert Event.objects.get(kind=Event.Kind.EDITED).text_before == ""


def test_a_comment_marked_spam_before_the_worker_runs_gets_no_rejection_email(
    article, moderator, deliver
):
    comment = held(article)
    moderation.reject(only(comment), by=moderator, reason=Reason.objects.first())
    moderation.mark_spam(only(comment), by=moderator)
    deliver()
    assert mail.outbox == []


def test_a_comment_moderated_before_the_worker_runs_alerts_nobody(article, moderator, deliver):
    from comments import notifications
    from outbox import queue

    comment = held(article)
    queue.enqueue(notifications.comment_held, comment_id=comment.pk)
    moderation.approve(only(comment), by=moderator)
    deliver()
    assert [m.to for m in mail.outbox] == []


def test_the_moderators_alerts_and_digests_are_forgotten_after_90_days(
    article, moderator, deliver, clock
):
    from comments import notifications
    from outbox import queue
    from outbox.models import Content, Email

    comment = held(article, body="Ring 617 555 0199")
    queue.enqueue(notifications.comment_held, comment_id=comment.pk)
    deliver()
    assert Email.objects.filter(kind="comment held").exists()
    clock.advance(days=91)
    erasing.purge_metadata()
    assert not Email.objects.filter(kind="comment held").exists()
    assert not Content.objects.filter(text__contains="617 555").exists()


def test_a_deleted_comments_words_leave_the_log_after_90_days(article, moderator, clock):
    comment = held(article, body="Delete me, I am Jo Bloggs")
    moderation.delete(only(comment), by=moderator)
    assert Event.objects.get().note.startswith("Delete me")
    clock.advance(days=91)
    erasing.purge_metadata()
    event = Event.objects.get()
    assert (event.kind, event.note) == (Event.Kind.DELETED, "")
