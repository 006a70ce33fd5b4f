"""What readers see and do in the "Comments" section of an article."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from comments import moderation
from comments.models import Comment
from tests.factories import (
    form_data,
    make_article,
    make_comment,
    make_draft,
    make_scheduled,
    make_user,
    post_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Tofersen results")


def test_a_new_comment_waits_for_a_moderator_and_its_writer_is_told(client, article):
    response = client.post(post_url(article), form_data(article, body="First!"))
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/comments/{comment.pk}/"
    found = client.get(response["Location"])
    assert found["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    page = client.get(found["Location"])
    assertContains(page, "Thanks, your comment is awaiting moderation")
    assertContains(page, "First!")
    assertContains(page, "Awaiting moderation.")
    assert comment.status == Comment.Status.PENDING


def test_nobody_else_sees_a_pending_comment_anywhere(client, article):
    client.post(post_url(article), form_data(article, body="Secret pending words"))
    stranger = Client()
    for url in (article.get_absolute_url(), "/", "/feed/rss/", "/search/?q=Secret+pending"):
        assertNotContains(stranger.get(url), "Secret pending words")
    assertContains(stranger.get("/"), "0 comments")
    assertNotContains(stranger.get(article.get_absolute_url()), "1 comment")


def test_approved_comments_show_oldest_first_with_name_date_and_permalink(client, article):
    first = make_comment(article, name="Early Bird", body="I came first.")
    make_comment(article, name="Late Owl", body="I came second.")
    moderation.refresh_counts([article.pk])
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.index("I came first.") < content.index("I came second.")
    assert f'id="comment-{first.pk}"' in content
    assert f'<a class="comment__link" href="/comments/{first.pk}/">' in content
    assert first.created_at.strftime("%B") in content
    assert '<h2 id="comments-heading" class="comments__heading">2 comments</h2>' in content


def test_the_home_page_counts_only_approved_comments(client, article):
    make_comment(article)
    make_comment(article, status=Comment.Status.PENDING)
    moderation.refresh_counts([article.pk])
    assertContains(client.get("/"), "1 comment<")


def test_a_staff_reply_carries_a_staff_badge_and_the_staff_name(client, article):
    question = make_comment(article, body="How can I get this treatment?")
    staff = make_user(group="Moderators", first_name="Grace", last_name="Lindqvist")
    moderation.reply(question, by=staff, body="Please talk to your neurologist.")
    content = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="comment__badge">Staff</span>' in content
    assert "Grace Lindqvist" in content
    assert content.index("How can I get") < content.index("Please talk to your neurologist.")


def test_replies_nest_three_levels_and_deeper_replies_stay_at_the_third(client, article):
    level1 = make_comment(article, body="Level one")
    level2 = make_comment(article, parent=level1, body="Level two")
    level3 = make_comment(article, parent=level2, body="Level three")
    make_comment(article, parent=level3, name="Deep Diver", body="Reply to level three")
    content = client.get(article.get_absolute_url()).content.decode()
    nested = content.count('class="comment-list comment-list--replies"')
    assert nested == 2  # level two and level three lists; the fourth sits in the third
    assert "In reply to Tom" in content
    assert content.index("Level three") < content.index("Reply to level three")


def test_the_form_is_headed_join_the_conversation_and_states_its_limits(client, article):
    response = client.get(article.get_absolute_url())
    for text in (
        "Join the conversation",
        "Up to 100 characters",
        "Never published",
        "Up to 5,000 characters",
        "Email me when my comment is published, and when someone replies",
        "Your email address stays private",
    ):
        assertContains(response, text)
    assertContains(response, 'maxlength="100"')
    assertContains(response, 'maxlength="5000"')
    assertContains(response, f'action="{post_url(article)}#comment-form"')


def test_the_reply_link_without_javascript_addresses_the_form_to_the_comment(client, article):
    comment = make_comment(article, name="Helen")
    response = client.get(f"{article.get_absolute_url()}?reply_to={comment.pk}")
    assertContains(response, f'name="parent" value="{comment.pk}"')
    assertContains(response, "Replying to <strong data-replying-name>Helen</strong>")
    reply_link = f"{article.get_absolute_url()}?reply_to={comment.pk}#comment-form"
    assertContains(response, f'href="{reply_link}"')


def test_a_reply_link_to_a_pending_comment_is_ignored(client, article):
    pending = make_comment(article, status=Comment.Status.PENDING)
    response = client.get(f"{article.get_absolute_url()}?reply_to={pending.pk}")
    assertNotContains(response, f'name="parent" value="{pending.pk}"')


def test_a_reply_is_stored_under_its_parent_and_held(client, article):
    parent = make_comment(article)
    client.post(post_url(article), form_data(article, parent=parent.pk, body="Me too"))
    reply = Comment.objects.get(body="Me too")
    assert reply.parent == parent and reply.depth == 1
    assert reply.status == Comment.Status.PENDING


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "Please tell us your name"),
        ("email", "", "Please give your email address"),
        ("email", "not-an-email", "This does not look like an email address"),
        ("body", "", "Please write your comment"),
        ("body", "   ", "Please write your comment"),
        ("name", "n" * 101, "Please keep this under 100 characters (it has 101)"),
        ("body", "b" * 5001, "Please keep this under 5,000 characters (it has 5001)"),
    ],
)
def test_bad_input_gets_a_message_by_the_field_and_keeps_what_was_typed(
    client, article, field, value, message
):
    data = form_data(article, **{field: value})
    response = client.post(post_url(article), data)
    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, "what you wrote is still here")
    kept = "How can my father get this treatment?" if field != "body" else "Marisol"
    assertContains(response, kept)
    assert Comment.objects.count() == 0


def test_a_reply_to_an_unapproved_comment_is_refused_with_a_message(client, article):
    pending = make_comment(article, status=Comment.Status.PENDING)
    response = client.post(post_url(article), form_data(article, parent=pending.pk))
    assertContains(response, "The comment you are replying to is not available")
    assertContains(response, "How can my father get this treatment?")
    assert Comment.objects.count() == 1


def test_a_reply_to_a_comment_on_another_article_is_refused(client, article):
    elsewhere = make_comment(make_article())
    response = client.post(post_url(article), form_data(article, parent=elsewhere.pk))
    assertContains(response, "The comment you are replying to is not available")


def test_closed_articles_say_so_instead_of_showing_the_form(client):
    closed = make_article(comments_open=False)
    make_comment(closed, body="An earlier comment")
    response = client.get(closed.get_absolute_url())
    assertContains(response, "Comments are closed")
    assertContains(response, "An earlier comment")
    assertNotContains(response, "Join the conversation")
    assertNotContains(response, ">Reply<")


def test_posting_to_a_draft_is_not_found(client):
    draft = make_draft()
    assert client.post(post_url(draft), form_data(draft)).status_code == 404


def test_a_scheduled_article_takes_comments_from_its_time_and_not_before(client, clock):
    scheduled = make_scheduled()
    assert client.post(post_url(scheduled), form_data(scheduled)).status_code == 404
    clock.advance(days=3)
    response = client.post(post_url(scheduled), form_data(scheduled))
    assert response.status_code == 302
    assert Comment.objects.get(article=scheduled).body == "How can my father get this treatment?"


def test_comment_text_is_plain_text_with_line_breaks_and_safe_links(client, article):
    make_comment(
        article,
        body="<b>Bold?</b> <script>alert(1)</script>\nSee https://example.org/study\n\nBye",
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Bold?&lt;/b&gt;" in content
    assert "<script>alert(1)</script>" not in content
    assert '<a href="https://example.org/study" rel="nofollow ugc noopener">' in content
    assert "<br>" in content and "<p>Bye</p>" in content


def test_the_writer_finds_their_name_and_email_filled_in_next_time(client, article):
    client.post(post_url(article), form_data(article, name="Rosa", email="rosa@example.com"))
    response = client.get(make_article().get_absolute_url())
    assertContains(response, 'value="Rosa"')
    assertContains(response, 'value="rosa@example.com"')


def test_a_drafts_preview_shows_no_comment_form(client):
    draft = make_draft()
    client.force_login(make_user(group="Editors"))
    response = client.get(draft.get_absolute_url())
    assertContains(response, "Readers can comment once the article is published")
    assertNotContains(response, "Join the conversation")


@pytest.mark.parametrize("value", ["²", "٣", "-1", "1.5", "9" * 30, "abc"])
def test_odd_reply_to_values_are_ignored_not_an_error(client, article, value):
    response = client.get(article.get_absolute_url(), {"reply_to": value})
    assert response.status_code == 200


def test_a_reload_of_the_page_shown_after_an_error_leads_back_to_the_article(client, article):
    response = client.get(post_url(article))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-form"


def test_after_an_error_the_page_opens_at_the_form_and_reply_links_still_work(client, article):
    comment = make_comment(article)
    response = client.post(post_url(article), form_data(article, email="nope"))
    assertContains(response, f'action="{post_url(article)}#comment-form"')
    assertContains(
        response, f'href="{article.get_absolute_url()}?reply_to={comment.pk}#comment-form"'
    )


def test_a_form_wide_message_is_shown_once(client, article):
    client.post(post_url(article), form_data(article, body="First"))
    response = client.post(post_url(article), form_data(article, body="Second"))
    assert response.content.decode().count("Please wait 15 seconds") == 1


def test_line_breaks_count_as_one_character_as_the_browser_counts_them(client, article):
    body = ("x" * 99 + "\r\n") * 50  # 5,000 characters in the browser's box
    response = client.post(post_url(article), form_data(article, body=body.strip()))
    assert response.status_code == 302
    assert "\r" not in Comment.objects.get().body


@pytest.mark.parametrize("name", ["Eve\x07", "Eve\x00", "Mallory\u202eevil", "Trudy\u2066"])
def test_names_with_control_characters_are_refused(client, article, name):
    response = client.post(post_url(article), form_data(article, name=name))
    assertContains(response, "is-invalid")
    assert Comment.objects.count() == 0


def test_a_name_on_several_lines_is_kept_on_one(client, article):
    client.post(post_url(article), form_data(article, name="Bob\nBcc: x@example.com"))
    assert Comment.objects.get().name == "Bob Bcc: x@example.com"


def test_names_keep_their_letters_in_any_script(client, article):
    client.post(post_url(article), form_data(article, name="  Zoë   Ŝaŭlo  محمد "))
    assert Comment.objects.get().name == "Zoë Ŝaŭlo محمد"


def test_posting_to_a_closed_article_explains_and_shows_the_text_read_only_to_copy(client):
    closed = make_article(comments_open=False)
    response = client.post(post_url(closed), form_data(closed, body="Keep me"))
    assertContains(response, "Comments were closed before your comment arrived")
    assertContains(response, "readonly>Keep me</textarea>", html=False)
    assertNotContains(response, "Post comment")


def test_what_a_commenter_typed_is_forgotten_when_the_browser_closes(client, article):
    response = client.post(post_url(article), form_data(article))
    cookie = response.cookies["comments_visit"]
    assert cookie.value and not cookie["max-age"] and not cookie["expires"]
    assert cookie["httponly"]
    assert "sessionid" not in response.cookies  # no session row for a comment


def test_a_reader_asked_to_wait_is_not_told_to_correct_any_field(client, article):
    client.post(post_url(article), form_data(article, body="First"))
    response = client.post(post_url(article), form_data(article, body="Second"))
    assertContains(response, "Please wait 15 seconds between comments")
    assertNotContains(response, "Please correct the fields")


def test_a_reader_with_a_field_to_correct_is_told_so(client, article):
    response = client.post(post_url(article), form_data(article, email="nope"))
    assertContains(response, "Please correct the fields marked below")
