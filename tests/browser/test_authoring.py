"""An author writes an illustrated article in the admin; an editor schedules it; it appears."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import image_bytes, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "clinic.jpg"
    path.write_bytes(image_bytes(size=(1400, 800), colour=(30, 120, 90)))
    return path


def upload_image(window, photo, title, alt):
    window.fill("#id_title", title)
    window.set_input_files("#id_file", str(photo))
    window.fill("#id_alt_text", alt)


def click_closing_the_window(window, selector):
    """Click a control that closes its own window, and wait until it has.

    The window may close before the browser has answered the click itself, so
    that answer is not awaited: the window closing is what the test checks.
    """
    with window.expect_event("close"):
        try:
            window.click(selector, no_wait_after=True)
        except PlaywrightError:
            if not window.is_closed():
                raise


def test_an_author_writes_an_article_and_an_editor_schedules_it(
    page, browser, live_server, log_in, log_out, photo, screenshot
):
    author = make_user(group="Authors", username="amira", first_name="Amira", last_name="H")
    editor = make_user(group="Editors", username="daniel")

    # The author writes the article, with a featured image and a picture in the body.
    log_in(author)
    page.goto("/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("A new clinic opens its doors")
    assert page.input_value("#id_slug") == "a-new-clinic-opens-its-doors"
    page.fill("#id_summary", "Families can now be seen closer to home.")
    page.click(".ProseMirror[contenteditable=true]")
    page.keyboard.type("The clinic sees its first patients this week.")
    page.keyboard.press("Enter")

    page.click("button[data-name=figure]")
    with page.expect_popup() as opened:
        page.click("dialog[open] button:has-text('Browse')")
    picker = opened.value
    picker.wait_for_load_state()
    upload_image(picker, photo, "Clinic waiting room", "A bright waiting room with chairs")
    picker.click("input[value=Upload]")
    picker.wait_for_selector("text=was uploaded")
    click_closing_the_window(picker, ".image-picker__choose >> nth=0")
    expect(page.locator("dialog[open] input[name=imageUrl]")).not_to_have_value("")
    page.fill("dialog[open] input[name=caption]", "The new waiting room")
    page.click("dialog[open] button[type=submit]")
    page.wait_for_selector(".ProseMirror img")

    with page.expect_popup() as opened:
        page.click("#add_id_image")
    popup = opened.value
    popup.wait_for_load_state()
    upload_image(popup, photo, "Clinic front door", "The front door of the clinic")
    click_closing_the_window(popup, "input[name=_save]")
    expect(page.locator("#id_image")).not_to_have_value("")

    page.select_option("#id_category", label="Community")
    screenshot(page, "authoring-author-form")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    article = Article.objects.get(slug="a-new-clinic-opens-its-doors")
    assert article.status == Article.Status.DRAFT
    assert article.author == author
    assert article.image.alt_text == "The front door of the clinic"
    assert "<figcaption>The new waiting room</figcaption>" in article.body

    # The author previews the draft on the real page.
    page.goto(article.get_absolute_url())
    assert "This article is a draft" in page.locator(".preview-banner").inner_text()
    log_out()

    # The editor schedules it a few seconds ahead.
    log_in(editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.select_option("#id_status", "published")
    moment = timezone.localtime(timezone.now() + timedelta(seconds=6))
    page.fill("#id_publish_at_0", moment.strftime("%Y-%m-%d"))
    page.fill("#id_publish_at_1", moment.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.is_scheduled

    # A reader sees nothing yet, then the article at its time, with no job run in between.
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/")
    assert "A new clinic opens its doors" not in reader.content()
    assert reader.goto(article.get_absolute_url()).status == 404
    for _ in range(40):
        reader.wait_for_timeout(500)
        reader.goto("/")
        if "A new clinic opens its doors" in reader.content():
            break
    else:
        pytest.fail("The scheduled article did not appear at its time.")

    reader.click("text=A new clinic opens its doors")
    assert reader.locator(".article__body picture img").get_attribute("alt") == (
        "A bright waiting room with chairs"
    )
    assert reader.locator(".article__figure img").evaluate("img => img.naturalWidth > 0")
    screenshot(reader, "authoring-published-article")
    reader.context.close()


def test_the_article_form_reads_whole_and_checks_spelling(page, screenshot):
    from tests.browser.conftest import PASSWORD, sign_in

    editor = make_user(group="Editors", username="ed")
    editor.set_password(PASSWORD)
    editor.save()
    sign_in(page, editor)
    page.goto("/admin/articles/article/add/")
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.wait_for()
    assert body.get_attribute("spellcheck") != "false"  # the browser underlines mistakes
    assert page.locator("#id_title").bounding_box()["width"] >= 600  # a headline, whole
    assert body.bounding_box()["height"] >= 300  # a page to write on, not one line
    sources = page.locator(".inline-group .tabular").first
    assert page.evaluate("(box) => box.scrollWidth <= box.clientWidth", sources.element_handle())
    screenshot(page, "article-form-1280")
