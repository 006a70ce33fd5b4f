"""The hostile corpus, approved and shown in real Chromium: nothing runs, all stays readable."""

import pytest
from django.test import Client

from articles.models import Article, Category
from comments import moderation
from comments.models import Comment
from tests.factories import NO_SOURCES, form_data, make_article, make_user, post_url
from tests.security.payloads import PAYLOADS, visible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_flood_wait"),
]

# Run in the page: what could execute script. Data blocks (<script type="application/json">,
# the admin's) cannot run; the admin draws its own icons with <svg>, so `tags` is off there.
FIND_DANGERS = """(tags) => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/\\s/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${element.tagName} ${name}`);
      const url = ["href", "src", "action", "formaction", "xlink:href", "data"].includes(name);
      if (url && /^(javascript|vbscript|data:text)/.test(value))
        found.push(`${element.tagName} ${name}`);
    }
  }
  for (const script of document.querySelectorAll("script")) {
    const data = ["importmap", "application/json"].includes(script.type);
    if (!data && !(script.src && new URL(script.src).origin === location.origin))
      found.push("inline script");
  }
  if (tags) for (const tag of ["iframe", "object", "embed", "base", "svg", "math"])
    if (document.querySelector(tag)) found.push(tag);
  return found;
}"""


@pytest.fixture
def dialogs(page):
    opened = []

    def record(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.context.on("page", lambda tab: tab.on("dialog", record))
    page.on("dialog", record)
    return opened


def check(page, dialogs, url):
    page.goto(url)  # waits for "load": onload and autofocus tricks fire by then
    page.wait_for_timeout(50)
    assert page.evaluate(FIND_DANGERS, not url.startswith("/admin/")) == [], url
    assert dialogs == [], f"{url}: a dialog opened: {dialogs}"


def test_no_payload_runs_anywhere_and_every_comment_stays_readable(page, dialogs, log_in, settings):
    settings.COMMENTS_PER_PAGE = len(PAYLOADS)  # every comment on one page
    settings.COMMENTS_MAX_PER_MINUTE = len(PAYLOADS) * 2
    article = make_article(title="Hostile conversation")
    for number, payload in enumerate(PAYLOADS):
        name = payload if len(payload) <= 100 else f"Reader {number}"
        data = form_data(article, name=name, email=f"r{number}@example.com", body=payload)
        if Client().post(post_url(article), data).status_code != 302:
            data["name"] = f"Reader {number}"  # a name the form refuses; the body still goes
            assert Client().post(post_url(article), data).status_code == 302
    moderation.approve(Comment.objects.all(), by=make_user(group="Moderators"))

    check(page, dialogs, article.get_absolute_url())
    shown = page.locator(".comment__body").all_inner_texts()
    assert [" ".join(text.split()) for text in shown] == [visible(p) for p in PAYLOADS]
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "a long word pushes the page sideways"

    for payload in PAYLOADS:
        check(page, dialogs, f"/search/?q={payload[:200]}".replace("#", "%23"))

    log_in(make_user(group="Editors"))
    check(page, dialogs, "/admin/comments/comment/?status=all")
    check(page, dialogs, f"/admin/comments/comment/{Comment.objects.first().pk}/change/")


def test_an_article_body_full_of_payloads_runs_nothing_on_its_page_or_in_the_editor(
    page, dialogs, log_in
):
    editor = make_user(group="Editors")
    client = Client()
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/add/",
        {
            "title": "Hostile body", "slug": "hostile-body", "summary": "Summary",
            "body": "".join(f"<p>{payload}</p>" for payload in PAYLOADS),
            "category": Category.objects.get(slug="research").pk, "status": "published",
            "publish_at_0": "", "publish_at_1": "", "comments_open": "on", "author": editor.pk,
            **NO_SOURCES,
        },
    )  # fmt: skip
    assert response.status_code == 302
    article = Article.objects.get(slug="hostile-body")
    check(page, dialogs, article.get_absolute_url())
    log_in(editor)
    check(page, dialogs, f"/admin/articles/article/{article.pk}/change/")
    assert page.locator(".ProseMirror[contenteditable=true]").count() == 1  # the editor is up


def test_hostile_email_addresses_come_back_harmless_in_the_form(page, dialogs):
    article = make_article()
    page.goto(article.get_absolute_url())
    for payload in PAYLOADS[:25]:
        page.fill("#id_name", "Tom")
        page.evaluate("document.querySelector('#comment-form-fields').noValidate = true")
        page.evaluate("value => { document.querySelector('#id_email').value = value }", payload)
        page.fill("#id_body", "Hello")
        page.click("#comment-submit")
        page.wait_for_load_state()
        assert page.evaluate(FIND_DANGERS, True) == []
        assert dialogs == []
    assert not Comment.objects.exists()
