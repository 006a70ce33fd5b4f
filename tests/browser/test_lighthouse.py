"""Lighthouse scores the article page 100 for accessibility, on a phone and on a desktop: an
article with its picture, approved comments and replies, and the comment form.

Lighthouse comes from the npm registry into .tools/lighthouse (`make lighthouse`); without
node or that copy the test is skipped, and says why.
"""

import os
from urllib.request import urlopen

import pytest

from tests import lighthouse
from tests.conftest import ARTIFACTS
from tests.factories import make_conversation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _lighthouse_installed():
    if reason := lighthouse.missing():
        if os.environ.get("LIGHTHOUSE_REQUIRED"):  # `make lighthouse` must run it, not skip
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.mark.parametrize("form_factor", lighthouse.FORM_FACTORS)
def test_lighthouse_finds_the_article_page_fully_accessible(live_server, form_factor):
    article = make_conversation()
    url = live_server.url + article.get_absolute_url()
    shown = urlopen(url).read().decode()
    assert "Ask at his ALS clinic." in shown
    assert 'name="body"' in shown  # the page audited holds the conversation and the form
    ARTIFACTS.mkdir(exist_ok=True)
    report = lighthouse.audit(
        url,
        form_factor=form_factor,
        report_path=ARTIFACTS / f"lighthouse-article-{form_factor}.json",
    )
    assert report["finalDisplayedUrl"].endswith(article.get_absolute_url())
    outside = [url for url in report["requested"] if not url.startswith((live_server.url, "data:"))]
    assert not outside, f"the page asked for addresses outside the site: {outside}"
    score = lighthouse.score(report)
    assert score == 1.0, "\n".join(lighthouse.failing(report))
