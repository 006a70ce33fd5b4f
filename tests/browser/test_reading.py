"""A reader opens the home page, follows an article and reads it, on a phone and a desktop."""

import pytest

from tests.browser.conftest import violations_report
from tests.factories import make_article, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def articles():
    older = make_article(title="Older news from the clinic", image=make_image())
    newest = make_article(
        title="Tofersen helps some people regain strength",
        summary="Seven people, followed closely.",
        body="<h2>What happened</h2><p>Most of them got stronger.</p>",
        image=make_image(caption="A lab at work", credit="Photo: Lab team"),
    )
    return older, newest


def test_a_reader_follows_an_article_from_the_home_page(page, articles):
    page.goto("/")
    assert page.title() == "ALS Research News"
    page.click("text=Tofersen helps some people regain strength")
    page.wait_for_url("**/articles/**")
    assert page.locator("h1").inner_text() == "Tofersen helps some people regain strength"
    assert page.locator(".article__body h2").inner_text() == "What happened"
    assert page.locator("figcaption").inner_text().startswith("A lab at work")
    assert page.locator("a[rel=prev]").inner_text().endswith("Older news from the clinic")
    image = page.locator(".article__figure img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page, articles):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_and_article_pages_have_no_accessibility_violations(
    page, articles, axe, screenshot, viewport
):
    page.set_viewport_size(viewport)
    name = "phone" if viewport is PHONE else "desktop"
    for url, label in (("/", "home"), (articles[1].get_absolute_url(), "article")):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"reading-{label}-{name}")
        results = axe.run(page)
        assert results.violations_count == 0, violations_report(results)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{url} scrolls sideways at {viewport['width']}px"


def test_search_from_the_header_finds_an_article(page, articles):
    page.goto("/")
    page.fill("#site-search-q", "tofersen")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=tofersen")
    assert "1 article found" in page.locator(".search-summary").inner_text()
    assert page.locator(".card-article__title").count() == 1


OVERLAPS = """(selectors) => {
  const boxes = selectors.map((selector) => {
    const element = document.querySelector(selector);
    // The extent of the text drawn, whatever overflows its box included.
    const range = document.createRange();
    range.selectNodeContents(element);
    const text = element.children.length === 0 && element.textContent.trim();
    const drawn = text ? range.getBoundingClientRect() : null;
    const own = element.getBoundingClientRect();
    const box = drawn && drawn.width ? {
      left: Math.min(own.left, drawn.left), right: Math.max(own.right, drawn.right),
      top: Math.min(own.top, drawn.top), bottom: Math.max(own.bottom, drawn.bottom),
      width: own.width, height: own.height,
    } : own;
    return {selector, visible: box.width > 0 && box.height > 0, box};
  });
  const touching = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].box, b = boxes[j].box;
      if (a.left < b.right + 4 && b.left < a.right + 4 && a.top < b.bottom && b.top < a.bottom)
        touching.push(`${boxes[i].selector} / ${boxes[j].selector}`);
    }
  return {hidden: boxes.filter((b) => !b.visible).map((b) => b.selector), touching};
}"""
HEADER_CONTROLS = [
    ".site-brand__mark", ".site-brand__name", ".site-header__search-link", ".site-menu-button",
]  # fmt: skip


@pytest.mark.parametrize("width", [320, 360, 390])
def test_the_phone_header_keeps_its_name_and_buttons_apart(page, articles, width, screenshot):
    page.set_viewport_size({"width": width, "height": 800})
    for url in ("/", articles[0].get_absolute_url()):
        page.goto(url)
        found = page.evaluate(OVERLAPS, HEADER_CONTROLS)
        assert found == {"hidden": [], "touching": []}, found
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"header-{width}")


DANGLING = """() => {
  const found = [];
  for (const meta of document.querySelectorAll(".article-meta")) {
    const box = meta.getBoundingClientRect();
    for (const item of meta.querySelectorAll(".article-meta__item")) {
      const at = item.getBoundingClientRect();
      const dot = parseFloat(getComputedStyle(item, "::before").width);
      const startsLine = at.left < box.left + 1;
      // A line's first item keeps its dot left of the box, where nothing shows; every other
      // dot sits between two items, so none ends a line.
      if (startsLine && box.left - at.left < dot - 0.5) found.push(`shown: ${item.textContent}`);
      if (!startsLine && at.left - dot < box.left) found.push(`cut: ${item.textContent}`);
      if (at.right > box.right + 0.5) found.push(`overflows: ${item.textContent}`);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_no_separator_dot_starts_or_ends_a_line_of_an_article_byline(page, articles, width):
    page.set_viewport_size({"width": width, "height": 800})
    for url in ("/", articles[0].get_absolute_url()):
        page.goto(url)
        assert page.locator(".article-meta__item").count() >= 4
        assert page.evaluate(DANGLING) == []


def test_key_messages_and_ticked_boxes_wear_the_sites_own_colours(page, articles):
    page.goto("/search/?q=nothing-like-this-anywhere")
    lead = page.locator(".lead").first
    assert "Nothing matched" in lead.inner_text()
    assert lead.evaluate("(e) => getComputedStyle(e).fontWeight") == "400"
    assert lead.evaluate("(e) => getComputedStyle(e).color") == "rgb(28, 39, 51)"  # --ink
    page.goto("/subscribe/")
    page.check("#page-subscribe-lists_0")
    box = page.locator("#page-subscribe-lists_0")
    assert box.evaluate("(e) => getComputedStyle(e).backgroundColor") == "rgb(15, 61, 102)"
