"""The writer is told, the moderator redacts and answers in two actions, urgent comments
alert everyone, and the digest's link approves without logging in: end to end in Chromium,
with the real worker and a real SMTP server."""

import io
import re

import pytest
from django.core.management import call_command

from comments.models import Comment, ModeratorSettings
from tests.browser.conftest import violations_report
from tests.factories import make_article, make_user
from tests.mailserver import text_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_flood_wait", "moderation_lists"),
]


def link_in(message, path):
    return re.search(rf"http://\S+{path}\S+/", text_of(message)).group(0)


def post_comment(page, text, *, tick=True):
    page.fill("#id_name", "Dana")
    page.fill("#id_email", "dana@example.com")
    page.fill("#id_body", text)
    if tick:
        page.check("text=Email me when my comment is published, and when someone replies")
    page.click("#comment-submit")
    page.wait_for_load_state()


def test_a_redacted_comment_goes_live_with_a_reply_and_the_writer_hears_both(
    page, browser, live_server, settings, smtp_server, deliver, log_in, axe, screenshot
):
    settings.SITE_URL = live_server.url
    article = make_article(title="Tofersen in everyday care")
    moderator = make_user(group="Moderators", first_name="Grace", last_name="L",
                          email="grace@example.org")  # fmt: skip

    # The reader ticks the box (unticked until she does) and posts a comment with her number.
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(article.get_absolute_url())
    box = reader.get_by_label("Email me when my comment is published, and when someone replies")
    assert not box.is_checked()
    post_comment(reader, "Can anyone tell me more? Ring me on 617 555 0199, Dana Whitfield.")
    comment = Comment.objects.get()
    assert "Health-sensitive: Personal contact or identity details" in comment.held_reasons

    # Action one: from the admin index, open the waiting comment; its reasons are in view.
    log_in(moderator)
    page.goto("/admin/")
    actions = 0
    page.click(f"a[href='{comment.get_admin_url()}']")
    actions += 1
    assert "Personal contact or identity details" in page.locator(".field-why_held").inner_text()
    screenshot(page, "moderation-comment-page")
    results = axe.run(page)
    assert results.violations_count == 0, violations_report(results)

    # Action two: edit the text, type the reply, press Approve.
    page.fill("#id_public_text", "Can anyone tell me more? Dana.")
    page.fill("#id_reply", "Thank you, Dana. We have written to you by email too.")
    page.click("button.moderation-row__approve")
    actions += 1
    assert actions == 2  # typing aside: open it; press Approve
    notices = page.locator(".messagelist").inner_text()
    assert "The comment is approved with your edit." in notices
    assert "Your reply to Dana is published." in notices

    # The public sees the edit, marked as such, and the staff reply; not the number.
    reader.goto(article.get_absolute_url())
    comments = reader.locator(".comment-list").first.inner_text()
    assert "Can anyone tell me more? Dana." in comments
    assert "(edited by a moderator)" in comments
    assert "617 555" not in reader.content() and "Whitfield" not in reader.content()
    assert "We have written to you by email too." in comments

    # The reader gets "now live" and the reply email, once each, each with one-click unsubscribe.
    deliver()
    subjects = sorted(" ".join(m["Subject"].split()) for m in smtp_server.to("dana@example.com"))
    assert subjects == [
        "Grace L (staff) replied to your comment on “Tofersen in everyday care”",
        "Your comment is now live on “Tofersen in everyday care”",
    ]
    for message in smtp_server.to("dana@example.com"):
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    reader.context.close()


def test_a_distress_comment_alerts_at_once_and_the_digest_link_approves_without_login(
    page, live_server, settings, smtp_server, deliver, screenshot
):
    settings.SITE_URL = live_server.url
    article = make_article(title="Caring for a partner with ALS")
    daily = make_user(group="Moderators", email="daily@example.org")
    ModeratorSettings.objects.create(user=daily, alerts=ModeratorSettings.Alerts.DAILY)

    page.goto(article.get_absolute_url())
    post_comment(page, "I am so tired. Some nights I want to die.", tick=False)
    post_comment(page, "Where can I find a support group near Tulsa?", tick=False)
    deliver()

    # The moderator who chose the daily digest still hears of the urgent one at once.
    (urgent,) = smtp_server.to("daily@example.org")
    assert " ".join(urgent["Subject"].split()).startswith("Urgent: a comment needs you today")
    assert "988" in text_of(urgent)

    # The digest lists both; its Approve link opens a page with one button, no login.
    call_command("send_moderator_digest", stdout=io.StringIO())
    deliver()
    digest = [
        m for m in smtp_server.to("daily@example.org") if "waiting for review" in m["Subject"]
    ]
    (digest,) = digest
    question = Comment.objects.get(body__startswith="Where can I find")
    links = re.findall(r"Approve: (http://\S+/)", text_of(digest))
    approve = next(url for url in links if page.goto(url) and "Tulsa" in page.content())
    assert (
        Comment.objects.get(pk=question.pk).status == Comment.Status.PENDING
    )  # opening is not acting
    screenshot(page, "moderation-email-link")
    page.click("button:has-text('Approve this comment')")
    assert "The comment is approved" in page.locator("h1").inner_text()
    assert Comment.objects.get(pk=question.pk).status == Comment.Status.APPROVED
    page.goto(approve)
    assert "You have already used this link" in page.content()


def test_a_saved_reply_goes_in_where_the_cursor_is_keeping_what_was_typed(page, log_in):
    from comments.models import SavedReply

    moderator = make_user(group="Moderators")
    SavedReply.objects.create(title="Clinics", body="Our helpline can find you a clinic.")
    comment = make_comment_waiting()
    log_in(moderator)
    page.goto(comment.get_admin_url())
    box = page.locator("#id_reply")
    box.fill("Dear Jo, Thank you.")
    box.evaluate("box => box.setSelectionRange(8, 8)")  # after "Dear Jo,"
    page.select_option("#id_saved_reply", label="Clinics")
    assert box.input_value() == "Dear Jo, Our helpline can find you a clinic. Thank you."
    # The private answer box, used last, gets it there instead.
    private = page.locator("#id_private_reply")
    private.fill("Hello.")
    page.select_option("#id_saved_reply", label="Clinics")
    assert private.input_value() == "Hello. Our helpline can find you a clinic."
    assert box.input_value() == "Dear Jo, Our helpline can find you a clinic. Thank you."


def make_comment_waiting(**fields):
    from tests.factories import make_comment

    return make_comment(make_article(), status=Comment.Status.PENDING, **fields)


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_the_queue_fits_the_screen_and_shows_each_comment_whole(page, log_in, screenshot, width):
    for number in range(3):
        make_comment_waiting(
            body=f"Question {number}: is there a trial near Denver for my mother?",
            held_reasons=["First comment from this email address"],
        )
    log_in(make_user(group="Moderators"))
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/admin/comments/comment/?status=all")
    screenshot(page, f"moderation-queue-{'phone' if width == 390 else 'desktop'}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # nothing to scroll sideways for
    first = page.locator("#result_list tbody tr").first
    for part in ("Question", "First comment from this email address", "Waiting for review"):
        assert part in first.inner_text()
    assert first.locator("td.field-status").is_visible()
    page.click("text=How you hear about comments")
    screenshot(page, f"moderation-alerts-{'phone' if width == 390 else 'desktop'}")
    page.check("text=One email a day with every comment waiting")
    page.click("input[value=Save]")
    assert "Saved: one email a day" in page.locator(".messagelist").inner_text()
