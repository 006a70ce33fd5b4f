"""A reader finds the charity's details and pages from the footer, and an article's sources."""

import pytest

from articles.models import Source
from pages import editing
from pages.models import SiteDetails
from tests.browser.conftest import violations_report
from tests.factories import make_article, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def site():
    details = SiteDetails.load()
    details.registration = "A 501(c)(3) nonprofit, EIN 00-0000000"
    details.helpline, details.helpline_hours = "+1 617 555 0142", "Weekdays, 9 am to 5 pm"
    details.email = "help@example.org"
    details.address = "200 Wharf Street, Suite 4\nBoston, MA 02110"
    editing.save_details(details)
    article = make_article(
        title="Tofersen in everyday care", image=make_image(), body="<p>What we learnt.</p>"
    )
    Source.objects.create(
        article=article,
        position=1,
        title="Trial of Antisense Oligonucleotide Tofersen for SOD1 ALS",
        publication="New England Journal of Medicine, 2022",
        doi="10.1056/NEJMoa2204705",
    )
    Source.objects.create(
        article=article,
        position=2,
        title="FDA approves a treatment for ALS associated with a mutation in the SOD1 gene",
        publication="U.S. Food and Drug Administration, 2023",
        url="https://www.fda.gov/news-events/press-announcements/"
        "fda-approves-treatment-amyotrophic-lateral-sclerosis-associated-mutation-sod1-gene",
    )
    make_article(title="A story told in words alone", summary="There is no picture here.")
    return article


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_pages_and_an_article_with_sources_have_no_accessibility_violations(
    page, site, axe, screenshot, viewport
):
    page.set_viewport_size(viewport)
    name = "phone" if viewport is PHONE else "desktop"
    visits = [
        ("/about/", "about"),
        ("/contact/", "contact"),
        ("/privacy/", "privacy"),
        ("/accessibility/", "accessibility"),
        (site.get_absolute_url(), "article-sources"),
    ]
    for url, label in visits:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"site-pages-{label}-{name}")
        results = axe.run(page)
        assert results.violations_count == 0, f"{url}\n{violations_report(results)}"
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"{url} scrolls sideways at {viewport['width']}px"


def test_a_reader_follows_the_footer_to_the_contact_page_and_can_call_the_helpline(page, site):
    page.goto("/")
    page.locator(".site-details__pages").get_by_role("link", name="Contact us").click()
    page.wait_for_url("**/contact/")
    call = page.locator("main").get_by_role("link", name="+1 617 555 0142")
    assert call.get_attribute("href") == "tel:+16175550142"
    mail = page.locator("main").get_by_role("link", name="help@example.org")
    assert mail.get_attribute("href") == "mailto:help@example.org"
    assert "Weekdays, 9 am to 5 pm" in page.locator("main").inner_text()


def test_a_reader_opens_a_source_by_its_doi(page, site):
    page.goto(site.get_absolute_url())
    heading = page.get_by_role("heading", name="Sources")
    assert heading.is_visible()
    trial = page.get_by_role(
        "link", name="Trial of Antisense Oligonucleotide Tofersen for SOD1 ALS"
    )
    assert trial.get_attribute("href") == "https://doi.org/10.1056/NEJMoa2204705"


def test_an_article_without_a_picture_uses_the_whole_card_on_a_wide_screen(page, site):
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    card = page.locator(".card-article", has_text="A story told in words alone")
    text = card.locator(".card-article__text")
    card_width = card.evaluate("element => element.getBoundingClientRect().width")
    text_width = text.evaluate("element => element.getBoundingClientRect().width")
    # The text is as wide as its reading measure allows, not squeezed beside an empty column.
    measure = text.evaluate("element => parseFloat(getComputedStyle(element).maxWidth)")
    assert text_width >= min(card_width, measure) - 1
    assert card.locator("img").count() == 0
