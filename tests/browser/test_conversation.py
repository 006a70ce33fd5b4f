"""Readers and a moderator hold a conversation under an article, end to end in Chromium."""

import pytest

from comments.models import Comment
from tests.browser.conftest import violations_report
from tests.factories import make_article, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_flood_wait"),
]


@pytest.fixture
def article():
    return make_article(title="Tofersen in everyday care", body="<p>Good news for some.</p>")


@pytest.fixture
def new_reader(browser, live_server):
    """Open a browser of its own for each reader; close them all at the end."""
    contexts = []

    def open_reader():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_reader
    for context in contexts:
        context.close()


def post_comment(page, name, email, text):
    page.fill("#id_name", name)
    page.fill("#id_email", email)
    page.fill("#id_body", text)
    page.click("#comment-submit")
    page.wait_for_load_state()


def test_a_comment_is_held_approved_answered_and_replied_to(
    page, new_reader, article, log_in, axe, screenshot
):
    moderator = make_user(group="Moderators", first_name="Grace", last_name="Lindqvist")

    # A reader posts a question and sees it waiting, marked as theirs alone.
    reader = new_reader()
    reader.goto(article.get_absolute_url())
    post_comment(reader, "Marisol", "marisol@example.com", "How can my father get tofersen?")
    assert (
        "Thanks, your comment is awaiting moderation"
        in reader.locator(".comments__notice").inner_text()
    )
    mine = reader.locator(".comment--pending")
    assert "How can my father get tofersen?" in mine.inner_text()
    assert "Awaiting moderation" in mine.inner_text()
    question = Comment.objects.get()

    # Another reader sees nothing of it.
    stranger = new_reader()
    stranger.goto(article.get_absolute_url())
    assert "How can my father get tofersen?" not in stranger.content()
    assert stranger.locator("#comments-heading").inner_text() == "Comments"

    # The moderator approves it from the queue with the bulk action, then replies.
    log_in(moderator)
    page.goto("/admin/")
    assert "1 comment waiting for review" in page.locator(".pending-notice").inner_text()
    page.click(".pending-notice a")
    page.check(f"input[name=_selected_action][value='{question.pk}']")
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    page.wait_for_selector("text=1 comment approved.")
    screenshot(page, "moderation-queue-after-approval")
    question.refresh_from_db()
    assert question.status == Comment.Status.APPROVED

    page.goto(f"/admin/comments/comment/{question.pk}/change/")
    page.fill("#id_reply", "Please ask his neurologist about a genetic test for SOD1.")
    screenshot(page, "moderation-reply-box")
    page.click("input[name=_save]")
    page.wait_for_selector("text=Your reply to Marisol is published")

    # The first reader now sees the comment with the staff reply threaded under it.
    reader.goto(article.get_absolute_url())
    thread = reader.locator(f"#comment-{question.pk}")
    answer = thread.locator(".comment--staff")
    assert "Please ask his neurologist" in answer.inner_text()
    assert answer.locator(".comment__badge").inner_text() == "STAFF" or (
        answer.locator(".comment__badge").inner_text().lower() == "staff"
    )
    assert "Grace Lindqvist" in answer.inner_text()
    assert reader.locator("#comments-heading").inner_text() == "2 comments"

    # A second reader replies to the approved comment: the form moves under it, and the
    # reply is held for moderation.
    stranger.goto(article.get_absolute_url())
    stranger.click(f"#comment-{question.pk} .comment__reply >> nth=0")
    form = stranger.locator(f"#comment-{question.pk} #comment-form")
    assert "Replying to Marisol" in form.inner_text()
    post_comment(stranger, "Helen", "helen@example.com", "We went through the same thing.")
    reply = Comment.objects.get(name="Helen")
    assert reply.parent == question and reply.status == Comment.Status.PENDING
    assert "We went through the same thing." in stranger.locator(".comment--pending").inner_text()
    reader.goto(article.get_absolute_url())
    assert "We went through the same thing." not in reader.content()

    for width, name in ((390, "phone"), (1280, "desktop")):
        stranger.set_viewport_size({"width": width, "height": 900})
        stranger.goto(article.get_absolute_url())
        screenshot(stranger, f"conversation-{name}")
        results = axe.run(stranger)
        assert results.violations_count == 0, violations_report(results)


def test_bad_input_is_explained_next_to_the_field_and_kept(page, article, axe, screenshot):
    page.goto(article.get_absolute_url())
    page.fill("#id_name", "Tom")
    page.fill("#id_email", "not-an-email@")
    page.fill("#id_body", "My words stay here.")
    page.evaluate("document.querySelector('#comment-form-fields').noValidate = true")
    page.click("#comment-submit")
    page.wait_for_load_state()
    assert "This does not look like an email address" in page.locator("#div_id_email").inner_text()
    assert page.input_value("#id_body") == "My words stay here."
    assert Comment.objects.count() == 0
    # The page opens at the form, where the messages are, and passes the same checks.
    page.wait_for_function("window.scrollY > 0")  # the browser scrolls just after "load"
    screenshot(page, "comment-form-error")
    results = axe.run(page)
    assert results.violations_count == 0, violations_report(results)


def test_without_javascript_the_reply_link_reloads_with_the_form_addressed(browser, live_server):
    article = make_article()
    comment = Comment.objects.create(article=article, name="Tom", email="t@example.com",
                                     body="A question", status=Comment.Status.APPROVED)  # fmt: skip
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(article.get_absolute_url())
    page.click(".comment__reply")
    page.wait_for_url(f"**?reply_to={comment.pk}#comment-form")
    assert "Replying to Tom" in page.locator(".comment-form__replying").inner_text()
    page.fill("#id_name", "Ana")
    page.fill("#id_email", "ana@example.com")
    page.fill("#id_body", "Reply without scripts")
    page.click("#comment-submit")
    page.wait_for_load_state()
    assert Comment.objects.get(name="Ana").parent == comment
    context.close()
