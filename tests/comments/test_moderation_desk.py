"""The moderator's desk in the admin: redact, answer privately, reasons, history, the queue."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Answer, Comment, Event, ModeratorSettings, Reason, SavedReply
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db
Status = Comment.Status
QUEUE = reverse("admin:comments_comment_changelist")
LOG = reverse("admin:comments_event_changelist")
EXPORT = reverse("admin:comments_event_export")


@pytest.fixture
def moderator(client):
    user = make_user(group="Moderators", first_name="Grace", last_name="L", email="g@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


def moderate(client, comment, step, **fields):
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    return client.post(url, {"step": step, "public_text": comment.body, **fields})


def test_one_press_publishes_the_edited_text_with_the_reply(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING, body="Call me on 918 555 0142. Jo")
    response = moderate(
        client, comment, "approve", public_text="Call me. Jo", reply="We will write to you."
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.APPROVED, "Call me. Jo")
    assert comment.replies.get().body == "We will write to you."
    kinds = list(comment.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == [Event.Kind.EDITED, Event.Kind.APPROVED, Event.Kind.REPLIED]


def test_an_emptied_text_is_refused_next_to_the_box_keeping_the_reply(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING, body="My number is 918 555 0142")
    response = moderate(client, comment, "approve", public_text="  ", reply="Kept words")
    assertContains(response, "The edited text is empty")
    assertContains(response, "Kept words")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert not Event.objects.exists()


def test_rejecting_with_a_reason_records_it(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING)
    reason = Reason.objects.get(title="Off topic")
    moderate(client, comment, "reject", reason=reason.pk)
    event = Event.objects.get(comment=comment)
    assert (event.kind, event.reason, event.by) == (Event.Kind.REJECTED, reason, moderator)


def test_sending_privately_without_javascript_sends_the_chosen_saved_reply(
    client, moderator, article, deliver
):
    from django.core import mail

    comment = make_comment(article, status=Status.PENDING, email="jo@example.com")
    saved = SavedReply.objects.create(title="Clinics", body="Here is how to find a clinic.")
    response = moderate(client, comment, "private", saved_reply=saved.pk)
    assert response.status_code == 302
    deliver()
    assert [m.to for m in mail.outbox] == [["jo@example.com"]]
    assert "Here is how to find a clinic." in mail.outbox[0].body
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_an_empty_private_answer_is_refused_next_to_its_box(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING)
    response = moderate(client, comment, "private", private_reply=" ")
    assertContains(response, "Write the answer to send.")
    assert not Event.objects.exists()


def test_the_comment_page_shows_its_history(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING, body="Jo Bloggs here")
    moderate(client, comment, "approve", public_text="Jo here")
    page = client.get(comment.get_admin_url()).content.decode()
    assert "Edited the text</strong> by Grace L" in page
    assert "Before: Jo Bloggs here" in page
    assert "Approved</strong> by Grace L" in page


def test_deleting_a_comment_leaves_a_row_in_the_log(client, article):
    editor = make_user(group="Editors", first_name="Dan", last_name="E")
    client.force_login(editor)
    comment = make_comment(article, body="Delete me")
    url = reverse("admin:comments_comment_delete", args=[comment.pk])
    client.post(url, {"post": "yes"})
    event = Event.objects.get()
    assert (event.kind, event.comment, event.comment_number) == (
        Event.Kind.DELETED, None, comment.pk,
    )  # fmt: skip
    assertContains(client.get(LOG), f"{comment.pk} (deleted)")


def test_the_log_filters_and_exports_what_it_shows_as_csv(client, moderator, article):
    kept = make_comment(article, status=Status.PENDING, body="=HYPERLINK(evil)")
    other = make_comment(article, status=Status.PENDING)
    moderate(client, kept, "reject")
    moderate(client, other, "approve")
    response = client.get(EXPORT, {"kind": "rejected"})
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode().strip().splitlines()
    assert len(rows) == 2  # the header, and the one rejection
    assert "Rejected" in rows[1] and str(kept.pk) in rows[1]
    assertContains(client.get(LOG), "Export these as CSV")


def test_a_search_looks_in_every_status_unless_one_is_chosen(client, moderator, article):
    make_comment(article, body="Yesterday's approved comment about Boston")
    response = client.get(QUEUE, {"q": "Boston"})
    assertContains(response, "Yesterday&#x27;s approved comment")
    response = client.get(QUEUE, {"q": "Boston", "status": "pending"})
    assertNotContains(response, "Yesterday&#x27;s approved comment")


def test_urgent_comments_come_first_with_a_badge_and_newest_first_is_one_click(
    client, moderator, article, clock
):
    make_comment(article, status=Status.PENDING, body="First and ordinary")
    clock.advance(hours=1)
    make_comment(article, status=Status.PENDING, body="Second and urgent", is_urgent=True)
    clock.advance(hours=1)
    make_comment(article, status=Status.PENDING, body="Third and ordinary")
    page = client.get(QUEUE).content.decode()  # the queue: oldest first, as the front page
    assert page.index("Second and urgent") < page.index("First and ordinary")
    assert page.index("First and ordinary") < page.index("Third and ordinary")
    assert '<span class="urgent-badge">Urgent</span>' in page
    newest = client.get(QUEUE, {"order": "newest"}).content.decode()
    assert newest.index("Second and urgent") < newest.index("Third and ordinary")
    assert newest.index("Third and ordinary") < newest.index("First and ordinary")


def test_questions_for_staff_lists_unanswered_questions_until_answered(client, moderator, article):
    asked = make_comment(article, body="Can my son join the trial?", is_question=True)
    answered = make_comment(article, body="Where is it held?", is_question=True)
    make_comment(article, parent=answered, is_staff_reply=True, body="In Boston.")
    make_comment(article, body="Thanks for this.")
    listed = client.get(QUEUE, {"status": "all", "questions": "open"}).content.decode()
    assert "Can my son join the trial?" in listed
    assert "Where is it held?" not in listed and "Thanks for this." not in listed
    client.post(QUEUE + "?status=all", {
        "action": "mark_answered", "_selected_action": [asked.pk],
    })  # fmt: skip
    asked.refresh_from_db()
    assert asked.answer == Answer.GIVEN
    listed = client.get(QUEUE, {"status": "all", "questions": "open"}).content.decode()
    assert "Can my son join the trial?" not in listed


def test_the_admin_index_counts_waiting_urgent_and_unanswered(client, moderator, article):
    make_comment(article, status=Status.PENDING, body="A pending one")
    urgent = make_comment(article, status=Status.PENDING, body="An urgent one", is_urgent=True)
    make_comment(article, body="Any news on trials?", is_question=True)
    page = client.get(reverse("admin:index")).content.decode()
    assert "2 comments waiting for review" in page
    assert "1 urgent" in page
    assert "1 question for staff not yet answered" in page
    assert urgent.get_admin_url() in page  # one click opens it


def test_each_moderator_chooses_how_they_hear_about_comments(client, moderator):
    url = reverse("admin:comments_moderator_settings")
    assertContains(client.get(url), "An email for each comment held for review")
    client.post(url, {"alerts": "daily"})
    assert ModeratorSettings.objects.get(user=moderator).alerts == "daily"
    response = client.post(url, {"alerts": "hourly"})
    assertContains(response, "Select a valid choice")


def test_people_who_cannot_moderate_cannot_choose_alerts(client):
    client.force_login(make_user(group="Authors"))
    response = client.get(reverse("admin:comments_moderator_settings"))
    assert response.status_code == 403


def test_bulk_actions_from_the_queue_leave_history_rows(client, article):
    editor = make_user(group="Editors", first_name="Dan", last_name="E")
    client.force_login(editor)
    first = make_comment(article, status=Status.PENDING)
    second = make_comment(article, status=Status.PENDING)
    client.post(QUEUE, {"action": "mark_urgent", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.is_urgent
    client.post(QUEUE, {"action": "delete_selected", "_selected_action": [first.pk, second.pk],
                        "post": "yes"})  # fmt: skip
    assert not Comment.objects.exists()
    kinds = sorted(Event.objects.values_list("kind", flat=True))
    assert kinds == [Event.Kind.DELETED, Event.Kind.DELETED, Event.Kind.FLAGGED]


def test_an_invalid_flag_pattern_is_refused_in_the_admin_keeping_what_was_typed(client):
    from comments.models import FlagCategory

    client.force_login(make_user(group="Editors"))
    category = FlagCategory.objects.get(name="Miracle cures and sales links")
    url = reverse("admin:comments_flagcategory_change", args=[category.pk])
    response = client.post(url, {
        "name": category.name, "phrases": "miracle cure", "patterns": "[unclosed",
        "guidance": "", "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 200
    assertContains(response, "“[unclosed” is not a valid regular expression")
    assertContains(response, "[unclosed</textarea>")
    category.refresh_from_db()
    assert "[unclosed" not in category.patterns


def test_moderators_may_read_but_not_rewrite_the_flag_lists(client, moderator):
    from comments.models import FlagCategory

    category = FlagCategory.objects.first()
    url = reverse("admin:comments_flagcategory_change", args=[category.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"name": "Renamed", "phrases": "", "patterns": "", "guidance": ""})
    category.refresh_from_db()
    assert category.name != "Renamed"


def test_the_queue_links_to_each_moderators_alert_settings_and_the_log(client, moderator):
    page = client.get(QUEUE)
    assertContains(page, f'href="{reverse("admin:comments_moderator_settings")}"')
    assertContains(page, f'href="{LOG}"')


def test_only_staff_who_may_read_the_log_can_download_it(client, article):
    from comments import moderation as moderating

    moderator = make_user(group="Moderators")
    comment = make_comment(article, status=Status.PENDING, body="Call 617 555 0199, Dana")
    moderating.edit_and_approve(comment, by=moderator, text="Call me, Dana")
    for user in (make_user(group="Authors"), make_user(is_staff=True)):
        client.force_login(user)
        response = client.get(EXPORT)
        assert response.status_code == 403
        assert b"617 555" not in response.content
    client.force_login(moderator)
    assert b"617 555 0199" in client.get(EXPORT).content


def test_save_with_a_reply_publishes_the_edited_text_not_the_original(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING, body="Ring 617 555 0199. Dana Whitfield")
    client.post(comment.get_admin_url(), {
        "public_text": "Dana", "reply": "Thank you, Dana.", "_save": "Save",
    })  # fmt: skip
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.APPROVED, "Dana")
    assert comment.replies.get().body == "Thank you, Dana."


def test_save_with_only_an_edit_publishes_nothing_and_says_to_press_approve(
    client, moderator, article
):
    comment = make_comment(article, status=Status.PENDING, body="Ring 617 555 0199")
    response = client.post(
        comment.get_admin_url(), {"public_text": "Ring me", "_continue": "1"}, follow=True
    )
    assertContains(response, "press Approve to publish the comment with it")
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.PENDING, "Ring 617 555 0199")


def test_approving_a_rejected_comment_with_a_reply_posts_both(client, moderator, article):
    comment = make_comment(article, status=Status.REJECTED)
    moderate(client, comment, "approve", reply="Sorry, this was a mistake.")
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.replies.get().body == "Sorry, this was a mistake."


def test_a_private_answer_with_reject_keeps_the_chosen_reason(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING, email="jo@example.com")
    reason = Reason.objects.get(title="A question we answer privately")
    moderate(client, comment, "private", private_reply="Here you are.", then_reject="on",
             reason=reason.pk)  # fmt: skip
    event = Event.objects.get(kind=Event.Kind.REPLIED_PRIVATELY)
    assert event.reason == reason
    comment.refresh_from_db()
    assert comment.status == Status.REJECTED


def test_a_question_answered_privately_leaves_the_questions_for_staff(moderator, article):
    from comments import moderation as moderating

    asked = make_comment(article, status=Status.PENDING, is_question=True, email="jo@x.org")
    assert Comment.objects.questions_for_staff().filter(pk=asked.pk).exists()
    moderating.reply_privately(asked, by=moderator, body="We have written to you.")
    assert not Comment.objects.questions_for_staff().filter(pk=asked.pk).exists()


def test_flagging_by_hand_as_urgent_alerts_everyone_and_shows_the_guidance(
    client, moderator, article, deliver
):
    from django.core import mail

    daily = make_user(group="Moderators", email="daily@example.org")
    ModeratorSettings.objects.create(user=daily, alerts=ModeratorSettings.Alerts.DAILY)
    comment = make_comment(article, status=Status.PENDING, body="I am so tired of all this")
    client.post(QUEUE, {"action": "mark_urgent", "_selected_action": [comment.pk]})
    deliver()
    assert "daily@example.org" in [m.to[0] for m in mail.outbox]
    assertContains(client.get(comment.get_admin_url()), 'class="crisis-guidance"')


def test_deleting_a_comment_records_its_replies_going_too(client, article):
    editor = make_user(group="Editors")
    client.force_login(editor)
    parent = make_comment(article)
    child = make_comment(article, parent=parent)
    grandchild = make_comment(article, parent=child)
    client.post(reverse("admin:comments_comment_delete", args=[parent.pk]), {"post": "yes"})
    numbers = set(
        Event.objects.filter(kind=Event.Kind.DELETED).values_list("comment_number", flat=True)
    )
    assert numbers == {parent.pk, child.pk, grandchild.pk}


def test_a_robots_comment_stored_as_spam_leaves_a_row(client, article):
    from tests.factories import form_data, post_url

    client.post(post_url(article), form_data(article, website="http://spam.example"))
    event = Event.objects.get()
    assert (event.kind, event.via) == (Event.Kind.SPAM, Event.Via.SITE)


def test_the_outbox_never_shows_the_signed_links_it_sent(client, article, deliver):
    from comments import notifications
    from outbox import queue
    from outbox.models import Email

    make_user(group="Moderators", email="a@example.org")
    comment = make_comment(article, status=Status.PENDING)
    queue.enqueue(notifications.comment_held, comment_id=comment.pk)
    deliver()
    other = make_user(group="Moderators", email="b@example.org")
    client.force_login(other)
    email = Email.objects.get(to="a@example.org")
    page = client.get(reverse("admin:outbox_email_change", args=[email.pk])).content.decode()
    assert "/comments/moderate/(link hidden)/" in page
    assert not re.search(r"/comments/moderate/[^(\s/]+/", page)
