"""The rules of comments/moderation.py, each in the words a reader or moderator meets it."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertFormError, assertNotContains

from comments import erasing, moderation, screening
from comments.models import Comment
from comments.notifications import unsubscribe_token
from tests.factories import form_data, make_article, make_comment, make_user, post_url
from tests.visits import counting_queries

pytestmark = pytest.mark.django_db
Status = Comment.Status

FLOOD = (
    "Please wait 15 seconds between comments, then press “Post comment” again. "
    "Your comment is still here."
)
DUPLICATE = "You have already posted this comment on this article."
ROBOT = "Filled in the hidden field that only robots see"
FIRST = "First comment from this email address"
REJECTED = "This comment is rejected. Approve it first if you want to answer it in public."
SPAM = "This comment is marked as spam. Approve it first to answer it in public."
A_DAY_AGO = timedelta(days=1)


@pytest.fixture
def moderator():
    return make_user(group="Moderators", first_name="Grace", last_name="L", email="g@example.org")


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


def post(client, article, **fields):
    return client.post(post_url(article), form_data(article, **fields), REMOTE_ADDR="203.0.113.7")


def latest():
    return Comment.objects.latest("pk")


def unsaved(**fields):
    return Comment(**{"name": "Marisol", "email": "marisol@example.com", "body": "Hi", **fields})


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


# Refusals: the comment is not stored, and the reader is told why in so many words.


def test_a_flooding_reader_is_told_exactly_how_long_to_wait_and_that_nothing_is_lost(
    client, article
):
    post(client, article, email="one@example.com", body="First thought")
    response = post(client, article, email="two@example.com", body="Second thought")
    assertContains(response, FLOOD)
    assert response.context["comment_form"].non_field_errors() == [FLOOD]


def test_the_same_comment_sent_again_at_once_is_told_it_is_already_posted_not_to_wait(
    client, article
):
    post(client, article, body="Same words")
    response = post(client, article, body="Same words")
    assertFormError(response.context["comment_form"], "body", DUPLICATE)
    assertNotContains(response, "Please wait")
    assert Comment.objects.filter(body="Same words").count() == 1


def test_an_identical_comment_is_refused_next_to_the_comment_box(client, article):
    make_comment(article, email="marisol@example.com", body="Same words",
                 created_at=timezone.now() - A_DAY_AGO)  # fmt: skip
    response = post(client, article, body="Same words")
    assertFormError(response.context["comment_form"], "body", DUPLICATE)
    assertContains(response, "Please correct the fields marked below")
    assertContains(response, DUPLICATE)


def test_two_readers_may_post_the_same_words_on_one_article(client, article):
    make_comment(article, email="someone@example.com", body="Thank you!",
                 created_at=timezone.now() - A_DAY_AGO)  # fmt: skip
    post(client, article, body="Thank you!")
    assert Comment.objects.filter(body="Thank you!").count() == 2


def test_a_reader_may_post_the_same_words_on_another_article(client, article):
    make_comment(make_article(), email="marisol@example.com", body="Thank you!",
                 created_at=timezone.now() - A_DAY_AGO)  # fmt: skip
    post(client, article, body="Thank you!")
    assert latest().article == article


# What is stored with a comment, and where it sits in its thread.


def test_a_comment_handed_in_without_form_details_waits_with_nothing_about_the_browser(article):
    comment = moderation.submit(unsaved(), article=article)
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.held_reasons == [FIRST]
    assert (comment.ip_address, comment.user_agent) == (None, "")


def test_a_browser_that_sends_no_name_is_stored_with_none(client, article):
    post(client, article)
    assert latest().user_agent == ""


def test_a_very_long_browser_name_is_cut_to_three_hundred_characters(client, article):
    name = "Mozilla/5.0 " + "x" * 400
    client.post(post_url(article), form_data(article), HTTP_USER_AGENT=name)
    assert latest().user_agent == name[:300]


def test_replies_indent_three_levels_and_no_deeper(client, article, no_flood_wait):
    top = make_comment(article)
    reply = make_comment(article, parent=top)
    deeper = make_comment(article, parent=reply)
    for n, parent in enumerate([None, top, reply, deeper]):
        post(client, article, body=f"Post {n}", parent=parent.pk if parent else "")
    posted = Comment.objects.filter(body__startswith="Post ").order_by("body")
    assert [comment.depth for comment in posted] == [0, 1, 2, 2]


def test_screening_a_reply_costs_no_more_queries_than_a_new_comment(
    article, django_assert_max_num_queries
):
    # The form has already found the parent: checking it again would only cost a query.
    parent = make_comment(article)
    with counting_queries() as new_comment:
        moderation.submit(unsaved(email="one@example.com"), article=article)
    with django_assert_max_num_queries(len(new_comment)):
        moderation.submit(unsaved(email="two@example.com", parent=parent), article=article)
    assert latest().parent == parent


# Why a comment is held, as the moderator reads it.


def test_a_filled_honeypot_tells_moderators_a_robot_sent_it(client, article):
    post(client, article, website="http://spam.example")
    assert latest().status == Status.SPAM
    assert ROBOT in latest().held_reasons


def test_reasons_worked_out_without_a_form_never_say_robot(article):
    # The demo screens its comments this way.
    assert screening.held_reasons(unsaved(article=article)) == [FIRST]


def test_a_form_sent_after_exactly_the_minimum_time_is_not_too_fast(article, settings):
    moderation.submit(unsaved(), article=article, form_age=settings.COMMENTS_MIN_SECONDS)
    assert latest().held_reasons == [FIRST]


def test_a_form_sent_faster_says_how_fast(article):
    moderation.submit(unsaved(), article=article, form_age=1.5)
    assert "Sent 1.5 seconds after the page loaded: too fast for a person" in latest().held_reasons


def test_links_in_the_name_count_towards_the_limit(client, article):
    post(client, article, name="Visit cheap.example.com", body="See a.example.com, b.example.org")
    assert "Contains 3 links (more than 2)" in latest().held_reasons


def test_someone_elses_approved_comment_does_not_make_a_newcomer_known(client, article):
    make_comment(article, email="someone@example.com", created_at=timezone.now() - A_DAY_AGO)
    post(client, article)
    assert FIRST in latest().held_reasons


def test_a_reader_whose_only_earlier_comment_was_rejected_is_still_new(client, article):
    make_comment(article, email="marisol@example.com", status=Status.REJECTED,
                 created_at=timezone.now() - A_DAY_AGO)  # fmt: skip
    post(client, article)
    # Held as a newcomer is, in words that are true: not their first comment, none approved.
    assert latest().held_reasons == [
        "No approved comment yet from this email address (earlier ones were not published)"
    ]


def test_a_staff_reply_does_not_make_its_address_known_to_the_public_form(
    client, article, moderator, settings, no_flood_wait
):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    moderation.reply(make_comment(article), by=moderator, body="Our answer")
    post(client, article, email="g@example.org", body="Pretending to be Grace")
    assert latest().status == Status.PENDING
    assert FIRST in latest().held_reasons


def test_a_known_commenters_reply_approved_at_once_emails_the_reader_it_answers(
    client, article, settings, deliver
):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    make_comment(article, email="marisol@example.com", created_at=timezone.now() - A_DAY_AGO)
    question = make_comment(article, email="asker@example.com", notify_replies=True,
                            created_at=timezone.now() - A_DAY_AGO)  # fmt: skip
    post(client, article, body="Ask your clinic", parent=question.pk)
    deliver()
    assert latest().status == Status.APPROVED
    assert [message.to for message in mail.outbox] == [["asker@example.com"]]
    assert mail.outbox[0].subject == "Marisol replied to your comment on “Tofersen results”"


# Moderation steps and staff replies.


def test_approving_many_replies_at_once_costs_no_more_queries_than_one(
    article, moderator, django_assert_max_num_queries, deliver
):
    def waiting_replies(count):
        questions = [make_comment(article, notify_replies=True) for _ in range(count)]
        replies = [make_comment(article, parent=q, status=Status.PENDING) for q in questions]
        return Comment.objects.filter(pk__in=[reply.pk for reply in replies])

    one, five = waiting_replies(1), waiting_replies(5)
    with counting_queries() as approving_one:
        moderation.approve(one, by=moderator)
    with django_assert_max_num_queries(len(approving_one)):
        moderation.approve(five, by=moderator)
    deliver()
    assert len(mail.outbox) == 6  # everyone who asked heard about their reply


@pytest.mark.parametrize("status, problem", [(Status.REJECTED, REJECTED), (Status.SPAM, SPAM)])
def test_a_moderator_replying_to_a_hidden_comment_is_told_to_approve_it_first(
    client, article, moderator, status, problem
):
    client.force_login(moderator)
    comment = make_comment(article, status=status)
    response = client.post(change_url(comment), {"reply": "Hello"})
    assertFormError(response.context["adminform"].form, "reply", problem)
    assertContains(response, problem)
    with pytest.raises(moderation.Refused, match=re.escape(problem)) as refusal:
        moderation.reply(comment, by=moderator, body="Hello")
    assert refusal.value.message == problem


def test_a_staff_reply_records_who_posted_it_and_when(client, article, moderator):
    client.force_login(moderator)
    before = timezone.now()
    answer = moderation.reply(make_comment(article), by=moderator, body="Our answer")
    assert answer.moderated_by == moderator
    assert before <= answer.moderated_at <= timezone.now()
    assertContains(client.get(change_url(answer)), "Approved by Grace L,")


def test_staff_replies_indent_three_levels_and_no_deeper(article, moderator):
    top = make_comment(article)
    reply = make_comment(article, parent=top)
    deeper = make_comment(article, parent=reply)
    depths = [moderation.reply(parent, by=moderator, body="Answer").depth
              for parent in (top, reply, deeper)]  # fmt: skip
    assert depths == [1, 2, 2]


def test_staff_answering_their_own_comment_get_no_email_about_it(article, moderator, deliver):
    own = make_comment(article, email="g@example.org", notify_replies=True)
    moderation.reply(own, by=moderator, body="Answering myself")
    deliver()
    assert mail.outbox == []


def test_a_staff_member_without_an_email_address_can_still_reply(client, article, settings):
    settings.DEFAULT_FROM_EMAIL = "ALS Research News <news@example.org>"  # not a bare address
    staff = make_user(group="Moderators", first_name="Ada", last_name="K", email="")
    question = make_comment(article)
    moderation.reply(question, by=staff, body="Our answer without an address")
    assertContains(client.get(article.get_absolute_url()), "Our answer without an address")


# Reply emails and personal data kept for abuse checks.


def test_unsubscribing_stops_only_that_readers_reply_emails(client, article):
    question = make_comment(article, email="asker@example.com", notify_replies=True)
    other = make_comment(article, email="other@example.com", notify_replies=True)
    client.post(f"/comments/unsubscribe/{unsubscribe_token(question)}/")
    other.refresh_from_db()
    assert other.notify_replies


def test_stopping_reply_emails_counts_only_the_comments_that_had_them_on(article):
    make_comment(article, email="asker@example.com", notify_replies=True)
    make_comment(article, email="asker@example.com", notify_replies=False)
    assert moderation.stop_reply_emails("Asker@example.com") == 1


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def purge(**options):
    out = StringIO()
    call_command("purge_comment_metadata", stdout=out, **options)
    return out.getvalue().strip()


def test_the_purge_forgets_an_address_without_a_browser_and_a_browser_without_an_address(
    article,
):
    no_browser = make_comment(article, ip_address="203.0.113.1", created_at=days_ago(91))
    no_address = make_comment(article, user_agent="Old browser", created_at=days_ago(91))
    assert purge() == "Forgot the IP address, browser and pre-edit text of 2 comment(s)."
    no_browser.refresh_from_db()
    no_address.refresh_from_db()
    assert no_browser.ip_address is None and no_address.user_agent == ""


def test_a_second_purge_finds_nothing_more_to_forget(article):
    make_comment(article, ip_address="203.0.113.1", user_agent="Old", created_at=days_ago(91))
    make_comment(article, created_at=days_ago(91))  # never had any
    assert purge() == "Forgot the IP address, browser and pre-edit text of 1 comment(s)."
    assert purge() == "Forgot the IP address, browser and pre-edit text of 0 comment(s)."


def test_the_purge_can_keep_fewer_days(article):
    month_old = make_comment(article, ip_address="203.0.113.1", created_at=days_ago(31))
    assert purge(days=30) == "Forgot the IP address, browser and pre-edit text of 1 comment(s)."
    month_old.refresh_from_db()
    assert month_old.ip_address is None


def test_purging_without_a_period_keeps_the_configured_number_of_days(article, settings):
    settings.COMMENTS_KEEP_METADATA_DAYS = 30
    month_old = make_comment(article, ip_address="203.0.113.1", created_at=days_ago(31))
    week_old = make_comment(article, ip_address="203.0.113.2", created_at=days_ago(7))
    assert erasing.purge_metadata() == 1
    month_old.refresh_from_db()
    week_old.refresh_from_db()
    assert (month_old.ip_address, week_old.ip_address) == (None, "203.0.113.2")
