"""Each act on a comment leaves a row saying what, who, how and when; the purge keeps to
what it should forget."""

import pytest
from django.utils import timezone

from comments import erasing, moderation
from comments.models import Answer, Comment, Event, Reason
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = pytest.mark.django_db
Status = Comment.Status
Kind = Event.Kind


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def moderator():
    return make_user(group="Moderators", email="grace@example.org")


def only(comment):
    return Comment.objects.filter(pk=comment.pk)


def rows(comment):
    return list(
        Event.objects.filter(comment_number=comment.pk)
        .order_by("pk")
        .values_list("kind", "by", "via", "note")
    )


def test_the_site_signs_its_own_acts(client, article, settings, no_flood_wait):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    make_comment(article, email="known@example.com")  # approved before: a known commenter
    client.post(post_url(article), form_data(article, email="known@example.com",
                                             body="Thank you for this clear update."))  # fmt: skip
    known = Comment.objects.latest("pk")
    assert rows(known) == [(Kind.APPROVED, None, Event.Via.SITE, "A known commenter")]
    client.post(post_url(article), form_data(article, email="new@example.com",
                                             body="Ring me on 617 555 0199"))  # fmt: skip
    flagged = Comment.objects.latest("pk")
    assert rows(flagged) == [
        (Kind.FLAGGED, None, Event.Via.SITE, "Personal contact or identity details")
    ]


def test_moderation_rows_carry_the_moderator_and_the_moment(article, moderator):
    comment = make_comment(article, status=Status.PENDING)
    moderation.approve(only(comment), by=moderator)
    comment.refresh_from_db()
    event = Event.objects.get(comment=comment)
    assert (event.kind, event.by, event.via) == (Kind.APPROVED, moderator, Event.Via.ADMIN)
    assert event.at == comment.moderated_at


def test_a_rejection_without_a_reason_sends_nothing_even_if_the_box_was_ticked(
    article, moderator, deliver
):
    from django.core import mail

    comment = make_comment(article, status=Status.PENDING, notify_replies=True)
    moderation.reject(only(comment), by=moderator)
    moderation.approve(only(make_comment(article, status=Status.PENDING)), by=moderator)
    deliver()
    assert [m.subject for m in mail.outbox if "About your comment" in m.subject] == []


def test_replies_answers_flags_and_deletions_say_who_and_what(article, moderator):
    asked = make_comment(article, status=Status.PENDING, email="jo@example.com")
    moderation.reply(asked, by=moderator, body="Our public answer.")
    moderation.mark_answer(only(asked), Answer.NEEDED, by=moderator)
    moderation.mark_answer(only(asked), Answer.NEEDED, by=moderator)  # already: no row
    moderation.mark_answer(only(asked), Answer.GIVEN, by=moderator)
    moderation.set_urgent(only(asked), True, by=moderator)
    moderation.set_urgent(only(asked), False, by=moderator)
    reason = Reason.objects.first()
    moderation.reply_privately(asked, by=moderator, body="And in private.", reason=reason,
                               then_reject=True)  # fmt: skip
    assert rows(asked) == [
        (Kind.APPROVED, moderator.pk, "admin", ""),
        (Kind.REPLIED, moderator.pk, "admin", "Our public answer."),
        (Kind.NEEDS_ANSWER, moderator.pk, "admin", ""),
        (Kind.ANSWERED, moderator.pk, "admin", ""),
        (Kind.FLAGGED, moderator.pk, "admin", "Urgent"),
        (Kind.UNFLAGGED, moderator.pk, "admin", "Urgent"),
        (Kind.REPLIED_PRIVATELY, moderator.pk, "admin", "And in private."),
        (Kind.REJECTED, moderator.pk, "admin", ""),
    ]
    assert Event.objects.get(kind=Kind.REPLIED_PRIVATELY).reason == reason
    assert not asked.__class__.objects.filter(pk=asked.pk, is_urgent=True).exists()
    moderation.delete(only(asked), by=moderator)
    assert rows(asked)[-1] == (Kind.DELETED, moderator.pk, "admin", asked.body)


def test_deleting_several_at_once_quotes_none_of_them(article, moderator):
    first, second = make_comment(article), make_comment(article)
    moderation.delete(Comment.objects.filter(pk__in=[first.pk, second.pk]), by=moderator)
    assert set(Event.objects.values_list("note", flat=True)) == {""}


def test_refusals_name_their_field_and_say_why(article, moderator):
    with pytest.raises(moderation.Refused) as empty:
        moderation.edit_and_approve(make_comment(article), by=moderator, text=" ")
    assert empty.value.field == "public_text"
    assert empty.value.message.startswith("The edited text is empty.")
    nameless = make_comment(article, email="")
    with pytest.raises(moderation.Refused) as no_address:
        moderation.reply_privately(nameless, by=moderator, body="Hello")
    assert no_address.value.field == "private_reply"
    assert no_address.value.message == "This comment has no email address to answer."
    assert not Event.objects.exists()


def test_the_purge_forgets_only_what_is_old_and_private(article, moderator, clock):
    old = make_comment(article, status=Status.PENDING, body="Jo Bloggs, 617 555 0199")
    moderation.edit_and_approve(old, by=moderator, text="Jo")
    moderation.reply(old, by=moderator, body="Thank you, Jo.")
    gone = make_comment(article, body="Remove me, Jo Bloggs")
    moderation.delete(only(gone), by=moderator)
    clock.advance(days=60)
    recent = make_comment(article, status=Status.PENDING, body="Ann Smith here",
                          created_at=timezone.now())  # fmt: skip
    moderation.edit_and_approve(recent, by=moderator, text="Ann here")
    recently_gone = make_comment(article, body="Also remove me")
    moderation.delete(only(recently_gone), by=moderator)
    clock.advance(days=31)
    assert erasing.purge_metadata() == 1  # only the old comment had something to forget
    edited = dict(Event.objects.filter(kind=Kind.EDITED).values_list("comment_id", "text_before"))
    assert edited == {old.pk: "", recent.pk: "Ann Smith here"}
    deleted = dict(Event.objects.filter(kind=Kind.DELETED).values_list("comment_number", "note"))
    assert deleted == {gone.pk: "", recently_gone.pk: "Also remove me"}
    assert Event.objects.get(kind=Kind.REPLIED).note == "Thank you, Jo."  # staff's own words


def test_a_comment_with_only_its_original_text_left_counts_in_the_purge(article, moderator, clock):
    comment = make_comment(article, status=Status.PENDING, body="Jo Bloggs")
    moderation.edit_and_approve(comment, by=moderator, text="Jo")
    clock.advance(days=91)
    assert erasing.purge_metadata() == 1
    assert erasing.purge_metadata() == 0


def test_a_robots_comment_is_recorded_with_the_reason_it_was_caught(client, article):
    client.post(post_url(article), form_data(article, website="http://spam.example"))
    event = Event.objects.get(kind=Kind.SPAM)
    assert event.note == "Filled in the hidden field that only robots see"


def test_a_comment_matching_two_lists_names_both(client, article):
    client.post(post_url(article), form_data(article, email="new@example.com",
                                             body="Ring 617 555 0199, I want to die"))  # fmt: skip
    event = Event.objects.get(kind=Kind.FLAGGED)
    assert event.note == "Distress or self-harm, Personal contact or identity details"


def test_replies_deleted_with_their_comment_say_so_and_who(article, moderator):
    parent = make_comment(article)
    child = make_comment(article, parent=parent)
    make_comment(article, parent=child)
    moderation.delete(only(parent), by=moderator)
    rows_ = Event.objects.exclude(comment_number=parent.pk)
    assert set(rows_.values_list("by", "note")) == {
        (moderator.pk, "Deleted with the comment it answered")
    }
    assert rows_.count() == 2


def test_a_deleted_comment_is_quoted_at_most_200_characters(article, moderator):
    comment = make_comment(article, body="x" * 300)
    moderation.delete(only(comment), by=moderator)
    assert len(Event.objects.get().note) == 200


def test_flagging_an_urgent_comment_urgent_again_changes_nothing(article, moderator, deliver):
    from django.core import mail

    comment = make_comment(article, status=Status.PENDING)
    assert moderation.set_urgent(only(comment), True, by=moderator) == 1
    assert moderation.set_urgent(only(comment), True, by=moderator) == 0
    assert Event.objects.filter(kind=Kind.FLAGGED).count() == 1
    deliver()
    assert len(mail.outbox) == 1


def test_an_empty_private_answer_says_what_to_do(article, moderator):
    with pytest.raises(moderation.Refused) as refusal:
        moderation.reply_privately(make_comment(article), by=moderator, body="")
    assert refusal.value.message == "Write the answer to send."


def test_the_purge_forgets_old_alerts_only(article, moderator, deliver, clock):
    from comments import notifications
    from outbox import queue
    from outbox.messages import Message
    from outbox.models import Content, Email

    old = make_comment(article, status=Status.PENDING)
    queue.enqueue(notifications.comment_held, comment_id=old.pk)
    queue.send([Message(key="reader-note", kind="reply published", to="r@example.com",
                        subject="A reply", text="Kept")])  # fmt: skip
    deliver()
    clock.advance(days=60)
    recent = make_comment(article, status=Status.PENDING, created_at=timezone.now())
    queue.enqueue(notifications.comment_held, comment_id=recent.pk)
    deliver()
    Email.objects.filter(key__startswith=f"comment-held:{recent.pk}:").update(
        created_at=timezone.now()  # queued now, by the test's clock
    )
    clock.advance(days=31)
    erasing.purge_metadata()
    held = Email.objects.filter(kind="comment held")
    assert list(held.values_list("key", flat=True)) == [f"comment-held:{recent.pk}:{moderator.pk}"]
    assert Email.objects.filter(key="reader-note").exists()  # not an alert: kept
    assert Content.objects.filter(emails=None).count() == 0
    assert Content.objects.count() == 2
