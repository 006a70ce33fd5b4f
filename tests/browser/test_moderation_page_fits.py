"""A comment's page on a desktop (issue 20, finding 4): the reply box and the row of actions
are together in the first screen, 1280 x 800, and the row is the page's only one."""

import pytest

from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("moderation_lists"),
]
SCREEN = {"width": 1280, "height": 800}


def test_the_reply_box_and_approve_are_both_in_the_first_screen(page, log_in, screenshot):
    article = make_article(title="Tofersen in everyday care")
    comment = make_comment(
        article,
        status=Comment.Status.PENDING,
        name="Dana",
        email="dana@example.com",
        body="Can anyone tell me more about how tofersen is given? My mother was diagnosed "
        "last year and her neurologist mentioned it at her last visit.",
        held_reasons=["First comment from this email address"],
        is_question=True,
    )
    log_in(make_user(group="Moderators"))
    page.set_viewport_size(SCREEN)
    page.goto(comment.get_admin_url())
    screenshot(page, "moderation-comment-page-1280x800")

    reply = page.locator("#id_reply").bounding_box()
    approve = page.locator("button.moderation-row__approve").bounding_box()
    assert reply["y"] + reply["height"] <= SCREEN["height"]
    assert approve["y"] + approve["height"] <= SCREEN["height"], approve
    assert reply["y"] < approve["y"]  # typed first, then sent
    # One row of actions; its Reject has the reason beside it.
    assert page.locator(".submit-row").count() == 1
    assert page.locator("input[name=_save], input[name=_continue]").count() == 0
    row = page.locator(".moderation-row")
    assert row.get_by_label("with the reason").is_visible()
    assert "waiting for review" in page.locator(".moderation-actions__state").inner_text()

    # The reply typed and Approve pressed: both done, back at the queue.
    page.fill("#id_reply", "Her neurologist can refer her to a clinic that gives it.")
    page.click("button.moderation-row__approve")
    notices = page.locator(".messagelist").inner_text()
    assert "1 comment approved." in notices and "Your reply to Dana is published." in notices
