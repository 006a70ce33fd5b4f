"""Load the demo: staff logins, the charity's details, articles with illustrations and
sources, and conversations with a queue.

Running it again adds nothing twice.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import publishing, workflow
from articles.models import Article, Category, Image, Source, Tag
from comments import moderation, rules, screening
from comments.models import BlockedWord, Comment, SavedReply, depth_under
from demo.art import draw_illustration
from demo.articles import ARTICLES, CAREGIVING_SLUG, TOFERSEN_SLUG
from demo.conversations import (
    ARRIVED_MINUTES_AGO,
    BLOCKED_WORDS,
    CAREGIVING_CONVERSATION,
    CONVERSATION,
    SAVED_REPLIES,
)
from demo.site import SITE_DETAILS, SOURCES
from demo.staff import load_staff
from pages import editing as site_pages
from pages.models import SiteDetails
from subscriptions.models import Edition, MailingList

NEWSLETTER_SUBJECT = "Research Matters: what changed for SOD1-ALS this year"
NEWSLETTER_INTRODUCTION = (
    "<p>This month we look at how tofersen is doing outside clinical trials, and at the small "
    "practical things carers tell us make the biggest difference.</p>"
    "<p>As always, talk to your own care team before changing any treatment.</p>"
)


@transaction.atomic
def load():
    """Add whatever of the demo is missing; return (articles added, comments added)."""
    staff = load_staff()
    load_site_details()
    articles = sum(load_article(entry, staff) for entry in ARTICLES)
    load_sources()
    load_reviews(staff)
    comments = load_comments(moderator=staff["moderator"])
    load_newsletter_draft(editor=staff["editor"])
    return articles, comments


def load_article(entry, staff):
    if Article.objects.filter(slug=entry["slug"]).exists():
        return False
    image = Image(
        title=entry["title"],
        alt_text=entry["image_alt"],
        caption=entry["image_caption"],
        credit="Illustration: ALS Research News",
        uploaded_by=staff[entry["author"]],
    )
    art = draw_illustration(entry["motif"], seed=len(entry["slug"]))
    image.file = ContentFile(art, name="illustration.jpg")
    publishing.save_image(image)
    days_ago = entry["days_ago"]
    tags = [
        Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in entry["tags"]
    ]
    publishing.save(
        Article(
            slug=entry["slug"],
            title=entry["title"],
            author=staff[entry["author"]],
            category=Category.objects.get(slug=entry["category"]),
            summary=entry["summary"],
            body=entry["body"].strip(),
            image=image,
            status=Article.Status.DRAFT if days_ago is None else Article.Status.PUBLISHED,
            publish_at=None if days_ago is None else timezone.now() - timedelta(days=days_ago),
        ),
        tags=tags,
    )
    return True


def load_site_details():
    """The demo charity's details, unless staff have filled in the site's own already."""
    details = SiteDetails.load()
    if details.helpline or details.email or details.address:
        return
    for name, value in SITE_DETAILS.items():
        setattr(details, name, value)
    site_pages.save_details(details)


def load_sources():
    """List each demo article's sources under it, once."""
    for slug, sources in SOURCES.items():
        article = Article.objects.filter(slug=slug).first()
        if article is None or article.sources.exists():
            continue
        for position, fields in enumerate(sources, start=1):
            source = Source(article=article, position=position, **fields)
            source.full_clean()  # the demo's references pass the checks the admin makes
            source.save()


# (slug, reviewed by a member of staff or a named clinician, days since the review)
REVIEWS = [
    (TOFERSEN_SLUG, "Dr Helen Marsh, consultant neurologist", 2),
    ("neurofilament-light-blood-test-als-trials", "editor", 9),
    # Reviewed more than ARTICLES_REVIEW_AFTER_MONTHS ago: listed as due for review.
    ("genetic-testing-for-als-questions-to-ask", "Dr Helen Marsh, consultant neurologist", 390),
]
WAITING_SLUG = "clinic-visit-checklist"
WAITING_NOTE = "Could someone from the clinic team check the list of who families will meet?"


def load_reviews(staff):
    """Review lines on three articles (one due for review again), and the author's draft
    waiting for an editor, once each."""
    for slug, reviewer, days in REVIEWS:
        article = Article.objects.filter(slug=slug, last_reviewed=None).first()
        if article is None:
            continue
        if reviewer in staff:
            article.reviewed_by = staff[reviewer]
        else:
            article.reviewer_name = reviewer
        article.last_reviewed = timezone.localdate() - timedelta(days=days)
        publishing.save(article)
    waiting = Article.objects.filter(slug=WAITING_SLUG, status=Article.Status.DRAFT).first()
    if waiting is not None and not waiting.review_steps.exists():
        workflow.submit(waiting, by=staff["author"], note=WAITING_NOTE)


def load_comments(moderator):
    """Add the demo comments once; return how many were added."""
    for title, body in SAVED_REPLIES:
        SavedReply.objects.get_or_create(title=title, defaults={"body": body})
    for phrase in BLOCKED_WORDS:
        if not BlockedWord.objects.filter(phrase=phrase).exists():
            rules.save(BlockedWord(phrase=phrase))
    added = 0
    for slug, conversation in (
        (TOFERSEN_SLUG, CONVERSATION),
        (CAREGIVING_SLUG, CAREGIVING_CONVERSATION),
    ):
        article = Article.objects.filter(slug=slug).first()
        if article is None or article.publish_at is None or article.comments.exists():
            continue
        added += load_conversation(article, conversation, moderator)
        moderation.refresh_counts([article.pk])
    return added


def load_conversation(article, conversation, moderator):
    made = {}
    for key, parent_key, name, email, hours, status, staff, body in conversation:
        parent = made.get(parent_key)
        when = article.publish_at + timedelta(hours=hours)
        if key in ARRIVED_MINUTES_AGO:
            when = timezone.now() - timedelta(minutes=ARRIVED_MINUTES_AGO[key])
        comment = Comment(
            article=article,
            parent=parent,
            depth=depth_under(parent),
            name=moderator.get_full_name() if staff else name,
            email=moderator.email if staff else email,
            body=body,
            created_at=when,
            is_staff_reply=staff,
            staff_author=moderator if staff else None,
            notify_replies=not staff,
            ip_address=None if staff else "192.0.2.10",
            user_agent="" if staff else "Mozilla/5.0 (demo)",
        )
        if not staff:
            screening.screen(comment)
        comment.status = status
        if status == Comment.Status.APPROVED:
            comment.moderated_by, comment.moderated_at = moderator, when + timedelta(hours=1)
        comment.save()
        made[key] = comment
    return len(made)


def load_newsletter_draft(editor):
    """A newsletter issue waiting to be previewed, tested and sent, for the demo editor."""
    if Edition.objects.filter(subject=NEWSLETTER_SUBJECT).exists():
        return
    edition = Edition.objects.create(
        mailing_list=MailingList.objects.get(slug="research-matters"),
        subject=NEWSLETTER_SUBJECT,
        introduction=NEWSLETTER_INTRODUCTION,
        created_by=editor,
    )
    edition.articles.set(
        Article.objects.published().filter(slug__in=[TOFERSEN_SLUG, CAREGIVING_SLUG])
    )
