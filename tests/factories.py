"""Small helpers that make the objects tests need, with overridable defaults."""

import io
import time
from datetime import timedelta
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles import publishing
from articles.models import Article, Category, Image
from comments.forms import sign_timestamp
from comments.models import Comment, depth_under

_numbers = count(1)
# What the article admin's form sends for its sources when none are listed.
NO_SOURCES = {"sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0"}
SLOW = 60  # seconds: how long ago a person opened the comment form before posting


def make_user(group=None, **overrides):
    number = next(_numbers)
    fields = {
        "username": f"user{number}",
        "first_name": "Sam",
        "last_name": f"Tester{number}",
        "email": f"user{number}@example.org",
        "is_staff": group is not None,
    }
    fields.update(overrides)
    password = fields.pop("password", "a-long-test-password")
    user = get_user_model().objects.create_user(password=password, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def image_bytes(size=(640, 360), image_format="JPEG", colour=(40, 110, 160), **save_options):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


def image_upload(name="photo.jpg", **kwargs):
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type=content_type)


def make_image(**overrides):
    fields = {"title": "Lab bench", "alt_text": "A lab bench with samples", "file": image_upload()}
    fields.update(overrides)
    return publishing.save_image(Image(**fields))


def make_article(**overrides):
    number = next(_numbers)
    fields = {
        "title": f"Research update {number}",
        "slug": f"research-update-{number}",
        "summary": "What the latest study found.",
        "body": "<p>Scientists have found something worth reading about.</p>",
        "status": Article.Status.PUBLISHED,
        # Each new article is a little newer than the last, and already public.
        "publish_at": timezone.now() - timedelta(days=1) + timedelta(seconds=number),
    }
    fields.update(overrides)
    if "author" not in fields:
        fields["author"] = make_user(group="Authors")
    if "category" not in fields:
        fields["category"] = Category.objects.get(slug="research")
    return publishing.save(Article(**fields))


def make_draft(**overrides):
    return make_article(status=Article.Status.DRAFT, publish_at=None, **overrides)


def make_scheduled(**overrides):
    return make_article(publish_at=timezone.now() + timedelta(days=2), **overrides)


def make_comment(article, **overrides):
    """A comment stored as it is, approved unless told otherwise (no rules, no email)."""
    fields = {
        "name": "Tom",
        "email": f"reader{next(_numbers)}@example.com",
        "body": "A thoughtful comment.",
        "status": Comment.Status.APPROVED,
    }
    fields.update(overrides)
    if fields.get("parent") is not None and "depth" not in fields:
        fields["depth"] = depth_under(fields["parent"])
    return Comment.objects.create(article=article, **fields)


def form_data(article, **overrides):
    """What the comment form sends, as if the reader took a minute to write."""
    data = {
        "name": "Marisol",
        "email": "marisol@example.com",
        "body": "How can my father get this treatment?",
        "timestamp": sign_timestamp(article.pk, now=time.time() - SLOW),
        "website": "",
        "parent": "",
    }
    data.update(overrides)
    return data


def post_url(article):
    return f"/articles/{article.slug}/comments/"


def make_conversation(**overrides):
    """A published article as readers meet it: a picture, a tag, a link in the body, and
    approved comments with a reply and a staff reply (a pending one stays hidden)."""
    from articles.models import Tag
    from comments import moderation

    fields = {
        "title": "Tofersen helps some people regain strength",
        "summary": "Seven people, followed closely for a year.",
        "body": (
            "<h2>What happened</h2><p>Most of them got stronger, the "
            '<a href="https://example.org/study">study in the journal</a> says.</p>'
            "<p>Ask your clinic whether it is right for you.</p>"
        ),
        "image": make_image(caption="A lab at work", credit="Photo: Lab team"),
    }
    fields.update(overrides)
    article = make_article(**fields)
    article.tags.add(Tag.objects.get_or_create(name="Treatments", slug="treatments")[0])
    first = make_comment(article, name="Marisol", body="How can my father get this treatment?")
    reply = make_comment(article, parent=first, name="Tom", body="Ask at his ALS clinic.")
    make_comment(
        article,
        parent=reply,
        name="Grace",
        body="Tom is right: the clinic can refer him. See https://example.org/clinics",
        is_staff_reply=True,
        staff_author=make_user(group="Moderators", first_name="Grace"),
    )
    make_comment(article, name="Lee", body="Thank you for writing this up so clearly.")
    make_comment(article, name="Hidden", body="Not approved yet.", status=Comment.Status.PENDING)
    moderation.refresh_counts([article.pk])
    article.refresh_from_db()
    return article
