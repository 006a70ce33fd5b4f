"""The moderation queue and staff replies in the Django admin, for each staff group."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from comments.models import Comment, SavedReply
from tests.factories import make_article, make_comment, make_user
from tests.visits import get_counting_queries

pytestmark = pytest.mark.django_db
Status = Comment.Status
QUEUE = reverse("admin:comments_comment_changelist")


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def moderate_url(comment):
    """Each button of a comment's page sends the page itself, saying which was pressed."""
    return change_url(comment)


@pytest.fixture
def moderator(client):
    user = make_user(group="Moderators", first_name="Grace", last_name="Lindqvist")
    client.force_login(user)
    return user


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


def test_the_queue_opens_on_comments_waiting_for_review(client, moderator, article):
    make_comment(article, body="Waiting one", status=Status.PENDING,
                 held_reasons=["Contains 3 links (more than 2)"])  # fmt: skip
    make_comment(article, body="Approved one")
    response = client.get(QUEUE)
    assertContains(response, "Waiting one")
    assertNotContains(response, "Approved one")
    assertContains(response, "Comments waiting for review")
    for column in ("Comment", "Why held", "Article", "Name", "Waiting"):
        assertContains(response, f">{column}<", html=False)
    assertContains(client.get(QUEUE + "?status=all"), ">Status<")
    assertContains(response, "Contains 3 links (more than 2)")
    assertContains(response, 'href="/comments/')


def test_filters_show_other_statuses_articles_and_staff_answers(client, moderator, article):
    question = make_comment(article, body="Answered question")
    make_comment(article, body="Unanswered question")
    make_comment(article, parent=question, is_staff_reply=True, body="Staff answer")
    make_comment(make_article(), body="Elsewhere")
    everything = client.get(QUEUE + "?status=all")
    assertContains(everything, "Elsewhere")
    by_article = client.get(QUEUE + f"?status=all&article={article.pk}")
    assertNotContains(by_article, "Elsewhere")
    assertContains(by_article, "Tofersen results")
    answered = client.get(QUEUE + "?status=all&staff=answered")
    assertContains(answered, "Answered question")
    assertNotContains(answered, "Unanswered question")
    unanswered = client.get(QUEUE + "?status=all&staff=unanswered")
    assertContains(unanswered, "Unanswered question")
    assertNotContains(unanswered, "Staff answer")


def test_search_finds_comments_by_name_email_and_text(client, moderator, article):
    make_comment(article, name="Rosa", email="rosa@example.com", body="About sporadic ALS")
    make_comment(article, name="Tom", email="tom@example.com", body="Family story")
    for term in ("Rosa", "rosa@example.com", "sporadic"):
        response = client.get(QUEUE + f"?status=all&q={term}")
        assertContains(response, "About sporadic ALS")
        assertNotContains(response, "Family story")


@pytest.mark.parametrize(
    "action, status",
    [("approve_selected", Status.APPROVED), ("reject_selected", Status.REJECTED),
     ("mark_spam_selected", Status.SPAM)],
)  # fmt: skip
def test_bulk_actions_moderate_and_record_who_did_it(client, moderator, article, action, status):
    comments = [make_comment(article, status=Status.PENDING) for _ in range(3)]
    response = client.post(
        QUEUE, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True
    )
    assertContains(response, "3 comments ")
    for comment in comments:
        comment.refresh_from_db()
        assert comment.status == status
        assert comment.moderated_by == moderator and comment.moderated_at


@pytest.mark.parametrize(
    "step, status",
    [("approve", Status.APPROVED), ("reject", Status.REJECTED), ("spam", Status.SPAM)],
)
def test_the_change_page_buttons_moderate_one_comment(client, moderator, article, step, status):
    comment = make_comment(article, status=Status.PENDING)
    page = client.get(change_url(comment))
    assertContains(page, f'name="step" value="{step}"')
    client.post(moderate_url(comment), {"step": step})
    comment.refresh_from_db()
    assert comment.status == status and comment.moderated_by == moderator


def test_the_change_page_shows_the_comment_and_why_it_was_held(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING, body="Is this for sporadic ALS?",
                           held_reasons=["First comment from this email address"])  # fmt: skip
    response = client.get(change_url(comment))
    assertContains(response, '<div class="comment-text"><p>Is this for sporadic ALS?</p></div>')
    assertContains(response, "First comment from this email address")
    assertContains(response, "Your reply")


def test_replying_from_the_admin_posts_an_approved_staff_reply(client, moderator, article):
    question = make_comment(article, status=Status.PENDING, body="How do I get it?")
    response = client.post(change_url(question), {"reply": "Ask your neurologist."}, follow=True)
    assertContains(response, "Your reply to Tom is published")
    answer = Comment.objects.get(parent=question)
    assert answer.is_staff_reply and answer.status == Status.APPROVED
    assert answer.name == "Grace Lindqvist" and answer.body == "Ask your neurologist."
    question.refresh_from_db()
    assert question.status == Status.APPROVED


def test_a_saved_reply_can_be_picked_and_posted_without_javascript(client, moderator, article):
    saved = SavedReply.objects.create(title="How to get it", body="Talk to your care team.")
    question = make_comment(article)
    page = client.get(change_url(question))
    assertContains(page, "How to get it")
    assertContains(page, "data-saved-replies")
    client.post(change_url(question), {"reply": "", "saved_reply": saved.pk})
    assert Comment.objects.get(parent=question).body == "Talk to your care team."


def test_saving_without_a_reply_changes_nothing(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING)
    client.post(change_url(comment), {"reply": ""})
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert Comment.objects.count() == 1


def test_the_admin_index_shows_how_many_comments_wait(client, moderator, article):
    for _ in range(4):
        make_comment(article, status=Status.PENDING)
    response = client.get(reverse("admin:index"))
    assertContains(response, "4 comments waiting for review")


def test_comments_cannot_be_added_in_the_admin(client, moderator):
    assert client.get(reverse("admin:comments_comment_add")).status_code == 403


def test_an_author_cannot_see_or_moderate_comments(client, article):
    author = make_user(group="Authors")
    client.force_login(author)
    comment = make_comment(article, status=Status.PENDING)
    assert client.get(QUEUE).status_code == 403
    assert client.get(change_url(comment)).status_code == 403
    assert client.post(moderate_url(comment), {"step": "approve"}).status_code == 403
    assertNotContains(client.get(reverse("admin:index")), "waiting for review")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_a_moderator_cannot_edit_articles(client, moderator, article):
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert client.get(change).status_code == 403


def test_an_editor_can_both_edit_articles_and_moderate(client, article):
    client.force_login(make_user(group="Editors"))
    comment = make_comment(article, status=Status.PENDING)
    assert (
        client.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 200
    )
    client.post(QUEUE, {"action": "approve_selected", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_anonymous_and_non_staff_people_are_sent_to_the_login_page(client, article):
    comment = make_comment(article, status=Status.PENDING)
    for who in (None, make_user()):
        if who:
            client.force_login(who)
        for url in (QUEUE, change_url(comment)):
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        response = client.post(moderate_url(comment), {"step": "approve"})
        assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_the_queue_runs_the_same_queries_for_ten_or_a_hundred_comments(
    client, moderator, article, django_assert_max_num_queries
):
    for _ in range(10):
        make_comment(make_article(), status=Status.PENDING)
    page, few = get_counting_queries(client, QUEUE)
    assert page.status_code == 200
    for _ in range(90):
        make_comment(make_article(), status=Status.PENDING)
    with django_assert_max_num_queries(few):
        client.get(QUEUE)


def test_a_huge_queue_is_counted_only_up_to_a_cap(client, moderator, article, monkeypatch):
    from comments.admin.filters import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 5)
    for _ in range(8):
        make_comment(article, status=Status.PENDING)
    response = client.get(QUEUE)
    assertContains(response, "more than 5 comments: filter or search to narrow them down")
    assert len(response.context["cl"].result_list) == 8


def test_approving_with_a_reply_typed_posts_the_reply_too(client, moderator, article):
    comment = make_comment(article, status=Status.PENDING)
    client.post(moderate_url(comment), {"step": "approve", "reply": "Thank you for asking."})
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert Comment.objects.get(parent=comment).body == "Thank you for asking."


@pytest.mark.parametrize("step", ["reject", "spam"])
def test_rejecting_with_a_reply_typed_keeps_the_reply_and_changes_nothing(
    client, moderator, article, step
):
    comment = make_comment(article, status=Status.PENDING)
    response = client.post(moderate_url(comment), {"step": step, "reply": "My careful words"})
    assert response.status_code == 200
    assertContains(response, "You have typed a public reply")
    assertContains(response, "My careful words</textarea>", html=False)
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert Comment.objects.count() == 1


def test_replying_to_a_spam_comment_is_refused_next_to_the_reply_box(client, moderator, article):
    comment = make_comment(article, status=Status.SPAM)
    response = client.post(change_url(comment), {"reply": "Hello"})
    assertContains(response, "This comment is marked as spam")
    comment.refresh_from_db()
    assert comment.status == Status.SPAM


def test_saving_without_a_reply_says_so_and_logs_nothing(client, moderator, article):
    from django.contrib.admin.models import LogEntry

    comment = make_comment(article)
    response = client.post(change_url(comment), {"reply": ""}, follow=True)
    assertContains(response, "Nothing was changed")
    assertNotContains(response, "was changed successfully")
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("on_the_hour", [False, True])
def test_the_moderation_record_is_in_local_time(
    client, moderator, article, settings, clock, on_the_hour
):
    from django.utils import dateformat, timezone

    if on_the_hour:  # minute :00, when Django writes "3 p.m.", not "3:00 p.m."
        now = timezone.now()
        clock.advance(seconds=3600 - now.minute * 60 - now.second - now.microsecond / 1e6 + 5)
    comment = make_comment(article, status=Status.PENDING)
    client.post(moderate_url(comment), {"step": "approve"})
    comment.refresh_from_db()
    local = timezone.localtime(comment.moderated_at)
    response = client.get(change_url(comment))
    # Django's own way of writing the hour: "3:05 p.m.", and "3 p.m." on the hour.
    assertContains(response, dateformat.format(local, "P"))
