"""A comment's page and the queue tell a moderator plainly where things stand (issue 20,
finding 4): one row of actions under the reply box, what became of each comment, why a
writer is held, who was emailed, and the queue in the order the front page lists it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains

from comments import moderation
from comments.models import Comment, Event, Reason
from tests.factories import form_data, make_article, make_comment, make_user, post_url

pytestmark = pytest.mark.django_db
Status = Comment.Status
QUEUE = reverse("admin:comments_comment_changelist")


@pytest.fixture
def moderator(client):
    user = make_user(group="Moderators", first_name="Grace", last_name="L")
    client.force_login(user)
    return user


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


def page_of(client, comment):
    return client.get(comment.get_admin_url()).content.decode()


# One row of actions, under the reply box.


def test_the_reply_box_comes_just_before_the_one_row_of_actions(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING)
    page = page_of(client, comment)
    reply = page.index('id="id_reply"')
    approve = page.index('name="step" value="approve"')
    assert reply < approve < page.index('id="id_public_text"') < page.index("id_private_reply")
    assert page.count('class="submit-row') == 1  # no second row of Save buttons
    assert 'name="_continue"' not in page and 'value="Save"' not in page
    # Reject's reason sits beside it, in the row.
    row = page[page.index('class="submit-row') : page.index("moderation-actions__help")]
    assert 'name="step" value="reject"' in row and 'name="reason"' in row
    assert "This comment is <strong>waiting for review</strong>" in page


def test_an_approved_comment_offers_publish_reply_and_edit_instead_of_approve(
    client, moderator, article
):
    comment = make_comment(article, body="Ring me on 617 555 0199. Dana")
    page = page_of(client, comment)
    assert 'name="step" value="approve"' not in page
    assert 'name="_save" value="Publish reply and edit"' in page
    response = client.post(
        comment.get_admin_url(), {"public_text": "Dana", "_save": "Publish reply and edit"},
        follow=True,
    )  # fmt: skip
    assertContains(response, "Your edit of the text is published.")
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.APPROVED, "Dana")
    assert comment.edited_by_moderator and comment.original_body.startswith("Ring me")
    assert comment.events.get().kind == Event.Kind.EDITED


def test_only_a_moderator_publishes_an_edit_of_an_approved_comment(client, article):
    # Staff who may open comments but not moderate them cannot change what readers see.
    clerk = make_user(is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "change_comment"]
        )
    )
    client.force_login(clerk)
    comment = make_comment(article, body="Ring me on 617 555 0199. Dana")
    response = client.post(
        comment.get_admin_url(), {"public_text": "Dana", "_save": "Publish reply and edit"}
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Ring me on 617 555 0199. Dana" and not comment.edited_by_moderator


def test_an_edit_alone_on_a_waiting_comment_still_waits_for_approve(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING, body="Ring 617 555 0199")
    response = client.post(comment.get_admin_url(), {"public_text": "Ring me"}, follow=True)
    assertContains(response, "press Approve to publish the comment with it")
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.PENDING, "Ring 617 555 0199")


# What became of each comment: only those waiting say how long they have waited.


def test_approved_comments_say_who_approved_them_and_when_not_how_long_they_waited(
    client, moderator, article
):
    two_days_ago = timezone.now() - timedelta(days=2, minutes=1)
    waiting = make_comment(
        article, status=Status.PENDING, body="Still waiting here", created_at=two_days_ago
    )
    approved = make_comment(
        article, status=Status.PENDING, body="Approved yesterday", created_at=two_days_ago
    )
    moderation.approve(Comment.objects.filter(pk=approved.pk), by=moderator)
    yesterday = timezone.now() - timedelta(days=1)
    Comment.objects.filter(pk=approved.pk).update(moderated_at=yesterday)
    day = date_format(timezone.localtime(yesterday), "j M")

    listed = client.get(QUEUE, {"status": "all"}).content.decode()
    row = listed[listed.index("Approved yesterday") :]
    row = row[: row.index("</tr>")]
    assert f"Approved {day} by Grace L" in row
    assert "Waiting" not in row
    row = listed[listed.index("Still waiting here") :]
    assert "Waiting 2\xa0days" in row[: row.index("</tr>")]
    assertContains(client.get(QUEUE, {"status": "approved"}), f"Approved {day} by Grace L")

    page = page_of(client, approved)
    assert f"This comment is <strong>approved</strong> ({day} by Grace L)." in page
    assert "Waiting" not in page[page.index('id="content"') :]
    assert "(for 2\xa0days so far)" in page_of(client, waiting)


def test_the_queue_of_waiting_comments_still_says_how_long_each_has_waited(
    client, moderator, article
):
    three_hours_ago = timezone.now() - timedelta(hours=3, minutes=1)
    make_comment(article, status=Status.PENDING, created_at=three_hours_ago)
    queue = client.get(QUEUE)
    assertContains(queue, "column-waited")
    assertContains(queue, "3\xa0hours")
    assertNotContains(queue, "column-outcome")


# Why a writer is held: "first comment" only when it is.


def test_a_writers_second_comment_while_the_first_waits_is_not_called_their_first(
    client, article, no_flood_wait
):
    client.post(post_url(article), form_data(article, body="My first question"))
    first = Comment.objects.get(body="My first question")
    assert "First comment from this email address" in first.held_reasons

    client.post(post_url(article), form_data(article, body="And a second one"))
    second = Comment.objects.get(body="And a second one")
    assert "First comment from this email address" not in second.held_reasons
    assert (
        "No approved comment yet from this email address (1 earlier one waiting for review)"
        in second.held_reasons
    )
    client.post(post_url(article), form_data(article, body="A third"))
    third = Comment.objects.get(body="A third")
    assert (
        "No approved comment yet from this email address (2 earlier ones waiting for review)"
        in third.held_reasons
    )


def test_a_writer_with_an_approved_comment_is_not_held_as_a_newcomer(
    client, article, no_flood_wait
):
    make_comment(article, email="marisol@example.com", created_at=timezone.now() - timedelta(1))
    make_comment(article, email="marisol@example.com", status=Status.PENDING)
    client.post(post_url(article), form_data(article, body="Back again"))
    reasons = Comment.objects.get(body="Back again").held_reasons
    assert not any("email address" in reason for reason in reasons)


# Who was emailed after a reject, in words, properly pluralised.


def test_a_bulk_reject_says_the_writers_were_not_emailed(client, moderator, article):
    one = make_comment(article, status=Status.PENDING)
    response = client.post(
        QUEUE, {"action": "reject_selected", "_selected_action": [one.pk]}, follow=True
    )
    assertContains(
        response, "1 comment rejected. Its writer was not emailed (no reason was given)."
    )
    two = [make_comment(article, status=Status.PENDING) for _ in range(2)]
    response = client.post(
        QUEUE, {"action": "reject_selected", "_selected_action": [c.pk for c in two]}, follow=True
    )
    assertContains(
        response, "2 comments rejected. Their writers were not emailed (no reason was given)."
    )
    assertNotContains(response, "comment(s)")


def test_rejecting_with_a_reason_says_the_writer_will_be_emailed_it(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING)
    reason = Reason.objects.filter(is_active=True).first()
    response = client.post(
        comment.get_admin_url(), {"step": "reject", "reason": reason.pk}, follow=True
    )
    assertContains(
        response, f"1 comment rejected. Its writer will be emailed the reason “{reason}”."
    )


def test_spam_says_its_writers_are_never_told(client, moderator, article):
    comments = [make_comment(article, status=Status.PENDING) for _ in range(2)]
    response = client.post(
        QUEUE,
        {"action": "mark_spam_selected", "_selected_action": [c.pk for c in comments]},
        follow=True,
    )
    assertContains(response, "2 comments marked as spam. Their writers are never told.")


# The queue and the admin's front page list waiting comments in one order.


def test_the_queue_opens_oldest_first_as_the_front_page_lists_them(client, moderator, article):
    now = timezone.now()
    for hours, body in [(3, "Oldest of all"), (2, "In the middle"), (1, "Newest of all")]:
        make_comment(
            article, status=Status.PENDING, body=body, created_at=now - timedelta(hours=hours)
        )
    urgent = make_comment(article, status=Status.PENDING, body="Urgent one", is_urgent=True)

    def order(html):
        found = re.findall(r"Oldest of all|In the middle|Newest of all|Urgent one", html)
        return list(dict.fromkeys(found))

    front = client.get(reverse("admin:index")).content.decode()
    queue = client.get(QUEUE).content.decode()
    expected = ["Urgent one", "Oldest of all", "In the middle", "Newest of all"]
    assert order(front) == expected
    assert order(queue) == expected
    assert urgent.get_admin_url() in front
    # History is read newest first: every other list, and the choice one click away.
    listed = client.get(QUEUE, {"status": "all"}).content.decode()
    assert order(listed) == ["Urgent one", "Newest of all", "In the middle", "Oldest of all"]
    newest = client.get(QUEUE, {"order": "newest"}).content.decode()
    assert order(newest) == ["Urgent one", "Newest of all", "In the middle", "Oldest of all"]
