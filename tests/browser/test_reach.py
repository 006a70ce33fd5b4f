"""Readers with ALS reach and hit every control: big targets, few Tab presses, nothing lost.

Measured in Chromium at a phone's width (390 px) and a desktop's (1280 px).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments import moderation
from comments.models import Comment
from pages import editing
from pages.models import SiteDetails
from tests.browser.conftest import violations_report
from tests.factories import make_article, make_comment, make_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_flood_wait"),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])

# Every visible link, button and field, with its box; links inside a sentence (WCAG 2.5.5's
# "inline" exception: a link in running text of a paragraph or list item) are left out.
MEASURE = """() => {
  const inSentence = (el) => {
    if (el.tagName !== "A") return false;
    const block = el.closest("p, li, figcaption, blockquote, td");
    if (!block || block.classList.contains("comment__actions")) return false;
    const own = el.textContent.trim().length;
    return block.textContent.trim().length > own + 2 && getComputedStyle(el).display === "inline";
  };
  const targets = [];
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
    if (el.type === "hidden" || el.closest("[aria-hidden=true]")) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === "hidden") continue;
    if (el.classList.contains("skip-link") && box.bottom < 0) continue;  // shown on focus
    if (inSentence(el)) continue;
    const name = (el.textContent || el.name || el.id || el.outerHTML).trim().slice(0, 40);
    targets.push({name: `${el.tagName.toLowerCase()} "${name}"`, box: {
      left: box.left + scrollX, top: box.top + scrollY, right: box.right + scrollX,
      bottom: box.bottom + scrollY, width: box.width, height: box.height}});
  }
  return targets;
}"""


def gap(a, b):
    """The distance between two boxes: 0 when they touch or overlap."""
    across = max(b["left"] - a["right"], a["left"] - b["right"], 0)
    down = max(b["top"] - a["bottom"], a["top"] - b["bottom"], 0)
    return max(across, down)


def inside(a, b):
    return (
        a["left"] >= b["left"]
        and a["right"] <= b["right"]
        and (a["top"] >= b["top"] and a["bottom"] <= b["bottom"])
    )


def target_problems(page):
    targets = page.evaluate(MEASURE)
    assert targets, "nothing to measure"
    problems = [
        f"{t['name']} is {t['box']['width']:.0f}x{t['box']['height']:.0f}"
        for t in targets
        if t["box"]["width"] < 44 - 0.5 or t["box"]["height"] < 44 - 0.5
    ]
    for number, one in enumerate(targets):
        for other in targets[number + 1 :]:
            a, b = one["box"], other["box"]
            if inside(a, b) or inside(b, a):
                continue
            if gap(a, b) < 8 - 0.5:
                problems.append(f"{one['name']} and {other['name']} are {gap(a, b):.1f}px apart")
    return problems


def send_as_marisol(page):
    """Sign the comment typed in the form, and send it."""
    page.fill("#id_name", "Marisol")
    page.fill("#id_email", "marisol@example.com")
    page.click("#comment-submit")


@pytest.fixture
def conversation(settings):
    settings.COMMENTS_PER_PAGE = 3
    details = SiteDetails.load()
    details.helpline, details.helpline_hours = "+1 617 555 0142", "Weekdays, 9 am to 5 pm"
    details.email = "help@example.org"
    editing.save_details(details)
    article = make_article(
        title="Tofersen helps some people regain strength",
        body="<p>Read <a href='https://example.org/study'>the study</a> in full.</p>",
        image=make_image(),
    )
    make_article(title="Older news from the clinic")
    start = timezone.now() - timedelta(days=1)
    firsts = [
        make_comment(
            article,
            name=f"Reader {n}",
            body=f"Thread {n} with https://example.org/{n}",
            created_at=start + timedelta(minutes=n),
        )  # fmt: skip
        for n in range(5)
    ]
    make_comment(article, parent=firsts[0], name="Reply", body="A reply")
    moderation.refresh_counts([article.pk])
    return article, firsts


@WIDTHS
def test_every_target_on_the_home_article_and_comment_pages_is_big_enough(
    page, conversation, viewport, screenshot
):
    article, _ = conversation
    page.set_viewport_size(viewport)
    name = "phone" if viewport is PHONE else "desktop"
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "paged-conversation": f"{article.get_absolute_url()}?page=2#comments",
        "contact": "/contact/",
        "search": "/search/?q=tofersen",
    }
    found = {}
    for label, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"reach-{label}-{name}")
        found[label] = target_problems(page)
    # The comment form with a reply open and an error shown is measured too.
    page.goto(article.get_absolute_url())
    page.click(".comment__reply >> nth=0")
    page.click("#comment-submit")
    page.wait_for_selector(".error-summary")
    found["form-with-errors"] = target_problems(page)
    assert not any(found.values()), found


def test_the_comment_box_is_three_tab_presses_from_the_top_of_an_article(page, conversation):
    article, _ = conversation
    page.goto(article.get_absolute_url())
    presses = 0
    while presses < 5:
        page.keyboard.press("Tab")
        presses += 1
        focused = page.evaluate("document.activeElement.textContent.trim()")
        if focused == "Join the conversation":
            page.keyboard.press("Enter")
        if page.evaluate("document.activeElement.id") == "id_body":
            break
    assert page.evaluate("document.activeElement.id") == "id_body"
    assert presses <= 5, presses
    assert presses == 3  # skip to content, join the conversation, the comment box


@WIDTHS
def test_the_jump_links_near_the_top_and_after_the_article_reach_the_form(
    page, conversation, viewport
):
    article, _ = conversation
    page.set_viewport_size(viewport)
    page.goto(article.get_absolute_url())
    top = page.locator(".article__header .article__jump-link")
    assert top.bounding_box()["y"] < viewport["height"]  # on the first screen
    top.click()
    assert page.locator("#id_body").is_visible()
    assert page.evaluate("location.hash") == "#comment-form"
    assert page.locator(".article__footer .article__jump-link").count() == 1


def test_an_unsent_comment_survives_a_reload_and_goes_once_it_is_accepted(page, conversation, axe):
    article, firsts = conversation
    page.goto(article.get_absolute_url())
    page.fill("#id_body", "Ten minutes of careful typing")
    page.wait_for_timeout(600)  # the draft is saved a moment after typing stops
    page.reload()
    assert page.input_value("#id_body") == "Ten minutes of careful typing"
    assert page.locator("[data-draft-restored]").is_visible()
    assert "Your unsent comment was restored" in page.inner_text("[data-draft-restored]")
    results = axe.run(page)
    assert results.violations_count == 0, violations_report(results)

    # A reply keeps its own draft, separate from the new comment's.
    page.click(f"[data-reply-to='{firsts[0].pk}']")
    assert page.input_value("#id_body") == ""
    page.fill("#id_body", "A reply in progress")
    page.click("[data-cancel-reply]")
    assert page.input_value("#id_body") == "Ten minutes of careful typing"

    send_as_marisol(page)
    page.wait_for_selector(".comments__notice")
    assert Comment.objects.filter(body="Ten minutes of careful typing").exists()
    page.goto(article.get_absolute_url())
    assert page.input_value("#id_body") == ""
    assert not page.locator("[data-draft-restored]").is_visible()
    page.click(f"[data-reply-to='{firsts[0].pk}']")
    assert page.input_value("#id_body") == "A reply in progress"  # not sent: still kept


def test_a_draft_is_kept_when_the_comment_comes_back_with_an_error(page, conversation):
    article, _ = conversation
    page.goto(article.get_absolute_url())
    page.fill("#id_body", "Words I do not want to lose")
    page.click("#comment-submit")  # no name or email: the site's own messages, no bubbles
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.id") == "comment-errors"
    page.click(".error-summary a[href='#id_name']")
    assert page.evaluate("document.activeElement.id") == "id_name"
    assert page.input_value("#id_body") == "Words I do not want to lose"
    page.goto(article.get_absolute_url())
    assert page.input_value("#id_body") == "Words I do not want to lose"


def test_with_javascript_off_the_form_still_posts(browser, live_server, conversation):
    article, _ = conversation
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(article.get_absolute_url())
    assert tab.locator(".site-nav").is_visible()  # the categories show open
    tab.fill("#id_body", "Sent without scripts")
    tab.fill("#id_name", "Marisol")
    tab.fill("#id_email", "marisol@example.com")
    tab.click("#comment-submit")
    assert "awaiting moderation" in tab.inner_text(".comments__notice")
    context.close()
    assert Comment.objects.filter(body="Sent without scripts").exists()


def test_on_a_phone_the_header_is_one_slim_row_with_a_menu(page, conversation, screenshot):
    page.set_viewport_size(PHONE)
    page.goto("/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 100, header  # was a third of the screen
    assert not page.locator(".site-nav").is_visible()
    page.click(".site-menu-button")
    assert page.locator(".site-nav").is_visible()
    assert page.get_attribute(".site-menu-button", "aria-expanded") == "true"
    screenshot(page, "reach-phone-menu-open")
    page.keyboard.press("Escape")
    assert not page.locator(".site-nav").is_visible()
    page.click(".site-header__search-link")
    page.wait_for_url("**/search/")


def test_an_old_link_to_a_comment_on_a_later_page_finds_it(page, conversation):
    article, firsts = conversation
    page.goto(f"{article.get_absolute_url()}#comment-{firsts[4].pk}")
    page.wait_for_url(f"**?page=2#comment-{firsts[4].pk}")
    assert page.locator(f"#comment-{firsts[4].pk}").is_visible()


def test_going_back_after_sending_does_not_bring_the_comment_back_as_a_draft(page, conversation):
    article, _ = conversation
    page.goto(article.get_absolute_url())
    page.fill("#id_body", "Sent once, and only once")
    send_as_marisol(page)
    page.wait_for_selector(".comments__notice")
    page.go_back()
    page.wait_for_load_state()
    page.goto("/")
    page.goto(article.get_absolute_url())
    assert page.input_value("#id_body") == ""
    assert not page.locator("[data-draft-restored]").is_visible()


def test_a_link_to_a_comment_that_is_no_longer_public_stays_on_the_conversation(page, conversation):
    article, _ = conversation
    page.goto(article.get_absolute_url())
    page.fill("#id_body", "Soon rejected")
    send_as_marisol(page)
    page.wait_for_selector(".comment--pending")
    mine = Comment.objects.get(body="Soon rejected")
    moderation.reject(Comment.objects.filter(pk=mine.pk), by=None)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{article.get_absolute_url()}?page=2#comment-{mine.pk}")
    page.wait_for_timeout(1500)
    assert sum(f"/comments/{mine.pk}/" in url for url in asked) <= 1, asked
    assert page.locator("#comments").is_visible()


def test_a_page_kept_by_the_browser_after_sending_keeps_no_draft_when_left_again(
    page, conversation
):
    """As when Back shows the page from the browser's memory (its back-forward cache, which
    Playwright's Chromium turns off): the text as sent is still in the box."""
    article, _ = conversation
    page.goto(article.get_absolute_url())
    page.fill("#id_body", "Sent from a page the browser keeps")
    page.evaluate(
        """() => {
          const form = document.getElementById("comment-form-fields");
          form.addEventListener("submit", (event) => event.preventDefault());
          form.requestSubmit();
          localStorage.clear();  // what the page that accepts the comment does
          window.dispatchEvent(new Event("pagehide"));
        }"""
    )
    assert page.evaluate("localStorage.length") == 0


def test_the_script_looks_for_a_missing_comment_once_however_the_server_answers(page, conversation):
    article, _ = conversation
    looked = []

    def back_to_the_article(route):
        looked.append(route.request.url)
        route.fulfill(status=302, headers={"Location": f"{article.get_absolute_url()}#comment-999"})

    page.route("**/comments/999/", back_to_the_article)
    page.goto(f"{article.get_absolute_url()}#comment-999")
    page.wait_for_timeout(1500)
    assert len(looked) == 1, looked
    assert page.locator("#comments").is_visible()
