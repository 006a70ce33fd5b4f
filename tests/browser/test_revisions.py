"""An editor's work survives a closed tab, and a published article edited by mistake is put
back from its revisions."""

import time

import pytest
from playwright.sync_api import expect

from articles.models import Article, Revision
from tests.browser.conftest import open_as, violations_report
from tests.browser.screens import SCREENS
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick_autosave(settings, page):
    """Autosave every second; afterwards, the tabs stop before the database is emptied.

    A tab still autosaving as the test ends would write while the test's data is flushed.
    """
    settings.ARTICLES_AUTOSAVE_SECONDS = 1
    yield
    for tab in page.context.pages:
        tab.goto("about:blank")
    time.sleep(0.5)  # a request the server had begun finishes


@pytest.fixture
def editor():
    return make_user(group="Editors", username="daniel", first_name="Daniel", last_name="Editor")


def wait_for(condition, seconds=10):
    """Whether `condition()` comes true within `seconds` (the page autosaves on its own)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def test_typed_work_survives_a_closed_tab_and_is_saved_once_restored(
    page, log_in, editor, quick_autosave, screenshot
):
    article = make_article(title="Clinic hours", body="<p>Open on Mondays.</p>")
    log_in(editor)
    page.goto(change_url(article))
    page.fill("#id_title", "Clinic hours change in June")
    page.click(".ProseMirror[contenteditable=true]")
    page.keyboard.press("End")
    page.keyboard.type(" And on Thursdays from June.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at")
    # The first draft may have gone mid-typing; the next one, a second on, holds it all.
    assert wait_for(
        lambda: "Thursdays from June." in Revision.objects.autosaves().get().data["body"]
    )
    article.refresh_from_db()
    assert article.title == "Clinic hours"  # the draft is not the article
    context = page.context
    page.close()  # without saving

    tab = context.new_page()
    tab.goto(change_url(article))
    notice = tab.locator(".desk-notice--draft")
    expect(notice).to_contain_text("You have unsaved changes from")
    expect(notice).to_contain_text("restore them?")
    tab.click("a.desk-notice__restore")
    expect(tab.locator(".messagelist")).to_contain_text("are in the form below; save to keep")
    expect(tab.locator("#id_title")).to_have_value("Clinic hours change in June")
    expect(tab.locator(".ProseMirror[contenteditable=true]")).to_contain_text(
        "And on Thursdays from June."
    )
    tab.click("input[name=_save]")
    tab.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.title == "Clinic hours change in June"
    assert "And on Thursdays from June." in article.body
    assert not Revision.objects.autosaves().exists()  # the save superseded the draft


def test_an_editor_puts_back_the_text_of_an_article_edited_by_mistake(
    page, browser, live_server, log_in, editor
):
    article = make_article(
        title="Tofersen approved", body="<p>The drug is approved for SOD1 ALS.</p>"
    )
    log_in(editor)
    page.goto(change_url(article))
    page.click(".ProseMirror[contenteditable=true]")
    page.keyboard.press("Control+A")
    page.keyboard.type("Oops, pasted the wrong text.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    history = page.locator(".revision-history")
    expect(history).to_contain_text("Daniel Editor")
    expect(history).to_contain_text("Changed body")
    page.click("text=Compare the chosen revisions")
    expect(page.locator("del").filter(has_text="approved for SOD1 ALS")).to_be_visible()
    expect(page.locator("ins").filter(has_text="Oops, pasted the wrong text.")).to_be_visible()
    page.click("text=Restore the revision of")
    expect(page.locator("#content-main")).to_contain_text("it stays published")
    page.click("button:has-text('Restore this revision')")
    expect(page.locator(".messagelist .success")).to_contain_text("is restored")

    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator(".article__body")).to_contain_text("The drug is approved for SOD1 ALS.")
    assert "Oops" not in reader.content()
    reader.context.close()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.revisions.first().kind == Revision.Kind.RESTORED


@pytest.fixture
def edited_article(editor):
    from articles import autosave, publishing

    article = make_article(
        title="Caring at home",
        body="<p>Ask your clinic for a home visit.</p><p>Nurses come weekly.</p>",
    )
    article.body = "<p>Ask your clinic for a home visit soon.</p><p>Nurses come daily.</p>"
    publishing.save(article, by=editor)
    colleague = make_user(group="Editors", first_name="Grace", last_name="Hopper")
    autosave.heartbeat(article, colleague)
    autosave.store(article, by=editor, data={"title": "Caring at home, typed"})
    return article


@pytest.mark.parametrize("screen", SCREENS)
def test_the_history_compare_and_notice_read_well_and_have_nothing_for_axe(
    browser, live_server, axe, screenshot, editor, edited_article, screen
):
    article = edited_article
    tab = open_as(browser, live_server, editor, screen)
    tab.goto(change_url(article))
    expect(tab.locator(".desk-notice--draft")).to_contain_text("unsaved changes")
    expect(tab.locator("#others-editing")).to_contain_text("Grace Hopper is also editing")
    screenshot(tab, f"revisions-change-page-{screen}")
    # The article form itself (Django's admin, its pickers and the body editor) is not
    # checked here: only what this page adds to it.
    ours = [[".desk-notice"], [".revision-history"], ["#autosave-status"]]
    results = axe.run(tab, context={"include": ours})
    assert results.violations_count == 0, violations_report(results)

    tab.click("text=Compare the chosen revisions")
    expect(tab.locator("ins").first).to_be_visible()
    screenshot(tab, f"revisions-compare-{screen}")
    results = axe.run(tab)
    assert results.violations_count == 0, violations_report(results)

    tab.click("text=Restore the revision of")
    expect(tab.locator("button:has-text('Restore this revision')")).to_be_visible()
    screenshot(tab, f"revisions-restore-{screen}")
    results = axe.run(tab)
    tab.context.close()
    assert results.violations_count == 0, violations_report(results)


def test_closing_the_page_keeps_what_was_typed_since_the_last_autosave(page, log_in, editor):
    article = make_article(title="Clinic hours")
    log_in(editor)
    page.goto(change_url(article))  # autosaves every 30 seconds: none before it closes
    page.fill("#id_title", "Typed just before closing")
    page.close(run_before_unload=True)
    for _ in range(50):
        draft = Revision.objects.autosaves().filter(created_by=editor).first()
        if draft is not None:
            break
        time.sleep(0.1)
    assert draft is not None, "Closing the page kept no draft."
    assert draft.data["title"] == "Typed just before closing"
    article.refresh_from_db()
    assert article.title == "Clinic hours"


def test_the_page_says_when_a_colleague_opens_the_article_and_when_a_draft_fails(
    page, log_in, editor, quick_autosave
):
    from articles import autosave

    article = make_article()
    log_in(editor)
    page.goto(change_url(article))
    warning = page.locator("#others-editing")
    expect(warning).to_be_hidden()
    autosave.heartbeat(article, make_user(group="Editors", first_name="Grace", last_name="H"))
    expect(warning).to_contain_text("Grace H is also editing this article (last active")
    expect(warning).to_have_attribute("aria-live", "polite")

    page.route("**/autosave/", lambda route: route.abort())
    page.fill("#id_title", "Typed while offline")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Draft not saved: the site could not be reached.")
    expect(status).to_have_attribute("aria-live", "polite")


def test_enter_in_a_field_saves_and_never_discards_the_draft_on_offer(
    page, log_in, editor, quick_autosave
):
    from articles import autosave

    article = make_article(title="Clinic hours", body="<p>Open on Mondays.</p>")
    base = article.revisions.first().pk
    autosave.store(article, by=editor, data={"title": "Clinic hours, earlier"}, base=base)
    log_in(editor)
    page.goto(change_url(article))
    expect(page.locator(".desk-notice--draft")).to_contain_text("restore them?")
    page.fill("#id_title", "Clinic hours from June")
    # Typing while the earlier draft is offered keeps that draft: no new one replaces it.
    expect(page.locator("#autosave-status")).to_contain_text("Not saved as a draft yet")
    time.sleep(1.5)  # past an autosave interval: still nothing replaces the offered draft
    assert Revision.objects.autosaves().get().data["title"] == "Clinic hours, earlier"
    page.press("#id_title", "Enter")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.title == "Clinic hours from June"


def test_discarding_the_draft_on_offer_keeps_what_was_typed_since(
    page, log_in, editor, quick_autosave
):
    from articles import autosave

    article = make_article(title="Clinic hours")
    base = article.revisions.first().pk
    autosave.store(article, by=editor, data={"title": "Clinic hours, earlier"}, base=base)
    log_in(editor)
    page.goto(change_url(article))
    page.fill("#id_title", "Typed while it was offered")
    expect(page.locator("#autosave-status")).to_contain_text("Discard them to go on from")
    page.click("button.desk-notice__discard")
    expect(page.locator(".desk-notice--draft")).to_have_count(0)
    expect(page.locator("#id_title")).to_have_value("Typed while it was offered")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at")
    assert wait_for(
        lambda: Revision.objects.autosaves().get().data["title"] == "Typed while it was offered"
    )
    article.refresh_from_db()
    assert article.title == "Clinic hours"
