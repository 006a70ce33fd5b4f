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
from comments.models import Comment

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
        fields["depth"] = min(fields["parent"].depth + 1, 2)
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
