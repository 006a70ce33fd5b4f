"""The moderation desk reads for everyone: axe finds nothing to fix on the comment queue or a
comment's page, on a phone, on a desktop, and at 200% zoom.

200% zoom is emulated as a 640 x 450 CSS pixel viewport at a device scale factor of 2: what a
1280 x 900 screen shows when the reader zooms to 200%.
"""

import pytest

from comments.models import Comment
from tests.browser.conftest import open_as, violations_report
from tests.browser.screens import SCREENS
from tests.factories import make_article, make_comment, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("moderation_lists"),
]

DISTRESS = "Distress or self-harm"


@pytest.fixture
def queue():
    """A queue as moderators meet it: an urgent comment, a flagged one, a question, a plain one."""
    article = make_article(title="Caring for a partner with ALS")
    waiting = Comment.Status.PENDING
    urgent = make_comment(
        article,
        status=waiting,
        name="Jo",
        body="I am so tired. Some nights I want to die. I read https://example.org/night today.",
        flags=[DISTRESS],
        is_urgent=True,
        held_reasons=[f"Health-sensitive: {DISTRESS}"],
    )
    make_comment(
        article,
        status=waiting,
        name="Dana",
        body="Ring me on 617 555 0199 about the trial.",
        flags=["Personal contact or identity details"],
        held_reasons=["Health-sensitive: Personal contact or identity details"],
    )
    make_comment(
        article,
        status=waiting,
        name="Marisol",
        body="Is there a trial near Denver for my mother? See https://example.org/trials",
        is_question=True,
        held_reasons=["First comment from this email address"],
    )
    make_comment(article, name="Tom", body="Thank you for this clear summary.")
    return urgent


def open_as_moderator(browser, live_server, screen):
    return open_as(browser, live_server, make_user(group="Moderators"), screen)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_moderation_queue_has_nothing_for_axe_to_report(
    browser, live_server, axe, screenshot, queue, screen
):
    tab = open_as_moderator(browser, live_server, screen)
    tab.goto("/admin/comments/comment/")
    assert "Some nights I want to die" in tab.locator("#result_list").inner_text()
    screenshot(tab, f"admin-a11y-queue-{screen}")
    results = axe.run(tab)
    tab.context.close()
    assert results.violations_count == 0, violations_report(results)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_comments_page_has_nothing_for_axe_to_report(
    browser, live_server, axe, screenshot, queue, screen
):
    tab = open_as_moderator(browser, live_server, screen)
    tab.goto(queue.get_admin_url())
    assert "Distress or self-harm" in tab.locator(".crisis-guidance").first.inner_text()
    screenshot(tab, f"admin-a11y-comment-{screen}")
    results = axe.run(tab)
    tab.context.close()
    assert results.violations_count == 0, violations_report(results)


@pytest.fixture
def under_review(moderation_lists):
    """An article waiting for review with its author's note, and one sent back with a note."""
    from articles import workflow
    from tests.factories import make_draft

    author = make_user(group="Authors", first_name="Amira", last_name="H")
    editor = make_user(group="Editors", first_name="Daniel", last_name="O")
    waiting = make_draft(author=author, title="A new clinic opens its doors")
    workflow.submit(waiting, by=author, note="Is the headline too strong?")
    sent_back = make_draft(author=author, title="Trial results are in")
    workflow.submit(sent_back, by=author)
    workflow.send_back(sent_back, by=editor, note="Name the trial\nand link its registration.")
    return {"author": author, "editor": editor, "waiting": waiting, "sent_back": sent_back}


# name: (who, address, what the page shows, what axe checks). The article's own page has
# findings that are not the review's (the body editor, the image picker, the sources table,
# Django's date and time boxes), so there axe checks the review's parts alone; the other
# pages are the review's own and are checked whole.
REVIEW_PAGES = {
    "waiting": (
        "editor", "/admin/articles/article/{waiting}/change/", ".review-state--waiting",
        {"include": [[".review-state"], [".review-history"]]},
    ),
    "sent-back": (
        "author", "/admin/articles/article/{sent_back}/change/", ".review-state--sent-back",
        {"include": [[".review-state"], [".review-history"], [".review-submit"]]},
    ),
    "send-back-form": (
        "editor", "/admin/articles/article/{waiting}/send-back/", "#id_note", None,
    ),
    "waiting-list": (
        "editor", "/admin/articles/article/?status__exact=review", "#result_list", None,
    ),
}  # fmt: skip


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", REVIEW_PAGES)
def test_the_review_pages_have_nothing_for_axe_to_report(
    browser, live_server, axe, screenshot, under_review, name, screen
):
    who, address, shows, checked = REVIEW_PAGES[name]
    ids = {"waiting": under_review["waiting"].pk, "sent_back": under_review["sent_back"].pk}
    tab = open_as(browser, live_server, under_review[who], screen)
    tab.goto(address.format(**ids))
    if name == "send-back-form":
        tab.click("input[type=submit]")  # sent empty: the error shows next to the field
        tab.wait_for_selector(".errorlist")
    tab.wait_for_selector(shows)
    screenshot(tab, f"admin-a11y-review-{name}-{screen}")
    results = axe.run(tab, context=checked)
    tab.context.close()
    assert results.violations_count == 0, violations_report(results)
