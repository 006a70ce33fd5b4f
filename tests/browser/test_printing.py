"""A printed article is the article, its sources and the conversation, black on white, with
the addresses of its links written out: none of the page's navigation, forms or buttons."""

import pytest

from articles.models import Source
from tests.conftest import ARTIFACTS
from tests.factories import make_article, make_conversation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEFT_OUT = {
    "the skip link": ".skip-link",
    "the header's navigation": ".site-nav",
    "the search box": ".site-search",
    "the footer's subscribe form": ".site-footer .subscribe",
    "the comment form": ".comment-form",
    "a reply button": ".comment__reply",
    "the previous and next articles": ".article-nav",
}
PRINTED = {
    "the title": ".article__title",
    "the article's text": ".article__body",
    "its sources": ".article-sources",
    "a comment's writer": ".comment__author",
    "a comment's date": ".comment__date",
    "a comment's text": ".comment__body",
}


@pytest.fixture
def printed(page):
    make_article(title="Older news from the clinic")
    article = make_conversation()
    Source.objects.create(
        article=article, title="A study", publication="A journal", url="https://example.org/nejm"
    )
    page.goto(article.get_absolute_url())
    page.emulate_media(media="print")
    return page


def test_a_printed_article_leaves_out_navigation_forms_and_buttons(printed):
    assert printed.locator(".article-nav").count() and printed.locator(".comment__reply").count()
    shown = [what for what, css in LEFT_OUT.items() if printed.locator(css).first.is_visible()]
    assert not shown, f"printed: {', '.join(shown)}"


def test_a_printed_article_keeps_its_text_sources_and_the_comments(printed):
    missing = [what for what, css in PRINTED.items() if not printed.locator(css).first.is_visible()]
    assert not missing, f"not printed: {', '.join(missing)}"
    comments = printed.locator(".comment-list").first.inner_text()
    for name, text in (("Marisol", "How can my father"), ("Grace", "Tom is right")):
        assert name in comments and text in comments


def test_a_printed_article_writes_out_its_links_black_on_white(printed):
    written = "a => getComputedStyle(a, '::after').content"
    assert printed.locator(".article__body a").evaluate(written) == '" (https://example.org/study)"'
    assert (
        printed.locator(".article-sources a").evaluate(written) == '" (https://example.org/nejm)"'
    )
    for css in ("body", ".site-header", ".comment--staff .comment__box", ".article__title"):
        colours = printed.locator(css).first.evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
        )
        assert colours[0] == "rgb(0, 0, 0)", f"{css} prints in {colours[0]}"
        assert colours[1] in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), f"{css} on {colours[1]}"


def test_the_article_prints_to_a_pdf(printed, screenshot):
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = printed.pdf(path=ARTIFACTS / "article-print.pdf", format="A4")
    assert pdf.startswith(b"%PDF")
    screenshot(printed, "article-print")  # the print layout, to look at
