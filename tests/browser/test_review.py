"""An author submits a draft for review; an editor sends it back with a note; the author
reads it, submits again; the editor publishes it and readers see it."""

import pytest

from articles.models import Article
from tests.factories import make_user
from tests.mailserver import text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "A new clinic opens its doors"
WIDTHS = {"phone": 390, "desktop": 1280}


def screenshots(page, screenshot, name):
    """Full-page screenshots at a phone's width and a desktop's."""
    for screen, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"review-{name}-{screen}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_article_goes_to_review_comes_back_with_a_note_and_is_published(
    page, browser, live_server, log_in, log_out, smtp_server, deliver, screenshot
):
    author = make_user(
        group="Authors", username="amira", first_name="Amira", last_name="H", email="a@example.org"
    )
    editor = make_user(
        group="Editors",
        username="daniel",
        first_name="Daniel",
        last_name="O",
        email="d@example.org",
    )

    # The author writes a draft and submits it, with a note to the editors.
    log_in(author)
    page.goto("/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially(TITLE)
    page.fill("#id_summary", "Families can now be seen closer to home.")
    page.click(".ProseMirror[contenteditable=true]")
    page.keyboard.type("The clinic sees its first patients this week.")
    page.select_option("#id_category", label="Community")
    page.fill("#id_review_note", "Is the headline too strong?")
    screenshots(page, screenshot, "author-submits")
    page.click("input[name=_submit_for_review]")
    page.wait_for_selector(".messagelist .success")
    assert "is waiting for review" in page.locator(".messagelist").inner_text()
    assert "Waiting for review" in page.locator(".review-state").inner_text()
    article = Article.objects.get(slug="a-new-clinic-opens-its-doors")
    assert article.status == Article.Status.REVIEW
    log_out()
    deliver()
    (told,) = smtp_server.to(editor.email)
    assert "Is the headline too strong?" in text_of(told)

    # The editor finds it under the "Waiting for review" filter and sends it back.
    log_in(editor)
    page.click("text=1 article waiting for review")
    page.goto("/admin/articles/article/")
    page.click("#changelist-filter a:text-is('Waiting for review')")
    assert "Articles waiting for review" in page.locator("#content h1").inner_text()
    page.click(f"#result_list a:text-is('{TITLE}')")
    assert "Is the headline too strong?" in page.locator(".review-state").inner_text()
    screenshots(page, screenshot, "editor-reads-the-submission")
    page.click("text=Send back to the author")
    page.click("input[value='Send back to the author']")
    assert "Write what the author should change." in page.locator(".errorlist").inner_text()
    page.fill("#id_note", "Please name the hospital in the first line,\nand add its phone number.")
    screenshots(page, screenshot, "send-back-form")
    page.click("input[value='Send back to the author']")
    page.wait_for_selector(".messagelist .success")
    assert "is back with Amira H as a draft" in page.locator(".messagelist").inner_text()
    log_out()
    deliver()
    (sent_back,) = smtp_server.to(author.email)
    assert "Please name the hospital in the first line" in text_of(sent_back)

    # The author sees the note, on the list and at the top of the article, and resubmits.
    log_in(author)
    page.goto("/admin/articles/article/")
    assert "Sent back" in page.locator("#result_list").inner_text()
    page.click(f"#result_list a:text-is('{TITLE}')")
    note = page.locator(".review-state--sent-back")
    assert "Sent back by Daniel O on" in note.inner_text()
    assert "add its phone number." in note.inner_text()
    screenshots(page, screenshot, "author-reads-the-note")
    page.click(".ProseMirror[contenteditable=true]")
    page.keyboard.press("End")
    page.keyboard.type(" It is at St Mary's Hospital, 020 7946 0000.")
    page.fill("#id_review_note", "Done: the hospital and its number are in.")
    page.click("input[name=_submit_for_review]")
    page.wait_for_selector(".messagelist .success")
    assert page.locator(".review-state--sent-back").count() == 0
    log_out()

    # The editor publishes it, and readers see it.
    log_in(editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    assert "Done: the hospital" in page.locator(".review-state").inner_text()
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/")
    reader.click(f"text={TITLE}")
    assert "St Mary's Hospital" in reader.locator(".article__body").inner_text()
    reader.context.close()


def test_enter_in_an_authors_title_saves_a_draft_and_submits_nothing(page, log_in):
    author = make_user(group="Authors", username="amira")
    log_in(author)
    page.goto("/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially(TITLE)
    page.fill("#id_summary", "Families can now be seen closer to home.")
    page.click(".ProseMirror[contenteditable=true]")
    page.keyboard.type("The clinic sees its first patients this week.")
    page.select_option("#id_category", label="Community")
    page.press("#id_title", "Enter")
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get(slug="a-new-clinic-opens-its-doors")
    assert article.status == Article.Status.DRAFT
    assert not article.review_steps.exists()
