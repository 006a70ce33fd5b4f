"""Build the benchmark's data in the database DATABASE_URL names.

    python -m bench.dataset small   # 10 articles; the benchmark article has 50 comments
    python -m bench.dataset large   # 10,000 articles and 200,000 comments, 100,000 pending

Prints one line of JSON: the benchmark article's address and a moderator's session key.
"""

import io
import json
import os
import random
import sys
import time
from datetime import timedelta

import django

# The small set has the large one's proportions, a thousand times smaller, so that growth is
# measured against the same kind of site: a moderation queue with pages of its own.
SIZES = {
    "small": {"articles": 10, "comments": 200, "pending": 100},
    "large": {"articles": 10_000, "comments": 200_000, "pending": 100_000},
    "smoke": {"articles": 10, "comments": 200, "pending": 100},
}
BENCH_SLUG = "benchmark-article"
BATCH = 2000
WORDS = [
    "research",
    "treatment",
    "clinic",
    "family",
    "trial",
    "gene",
    "protein",
    "neuron",
    "strength",
    "hope",
    "care",
    "study",
    "result",
    "patient",
    "doctor",
    "progress",
    "therapy",
    "support",
    "question",
    "answer",
]


def progress(label, done, total, started):
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    bar = "#" * filled + "." * (width - filled)
    print(f"\r  {label:<10} [{bar}] {done:>7,}/{total:,}  {rate:,.0f}/s", end="", file=sys.stderr)
    if done >= total:
        print(file=sys.stderr)


def sentence(rng, words=18):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def main(size):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.base import ContentFile
    from django.db import connection, transaction
    from django.utils import timezone
    from PIL import Image as PILImage

    from articles import publishing
    from articles.models import Article, Category, Image, search_document
    from comments import moderation
    from comments.models import Comment
    from comments.text import render_comment_body
    from pagecache.versions import bump

    plan = SIZES[size]
    rng = random.Random(2026)
    now = timezone.now()
    author = User.objects.create_user("bench-author", first_name="Amira", last_name="Haddad")
    moderator = User.objects.create_user(
        "bench-moderator", first_name="Grace", last_name="Lindqvist", is_staff=True
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    categories = list(Category.objects.all())

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (20, 80, 130)).save(buffer, format="JPEG", quality=85)
    image = Image(title="Benchmark picture", alt_text="A blue rectangle", caption="Caption")
    image.file = ContentFile(buffer.getvalue(), name="bench.jpg")
    publishing.save_image(image)

    body = "".join(
        f"<h2>{sentence(rng, 4)}</h2><p>{sentence(rng, 60)}</p><p>{sentence(rng, 80)}</p>"
        for _ in range(4)
    )
    template = Article(
        title="Template", slug="template", author=author, category=categories[0], body=body
    )
    publishing.save(template)  # sanitizes and renders the body once, for every copy below
    rendered = {name: getattr(template, name) for name in ("body", "body_html", "body_text")}
    template.delete()

    started = time.monotonic()
    total = plan["articles"]
    for first in range(0, total, BATCH):
        batch = []
        for number in range(first, min(first + BATCH, total)):
            newest = number == total - 1
            batch.append(
                Article(
                    title=f"Research update number {number}: {sentence(rng, 6)}"[:200],
                    slug=BENCH_SLUG if newest else f"research-update-{number}",
                    author=author,
                    summary=sentence(rng, 30),
                    category=categories[number % len(categories)],
                    image=image,
                    status=Article.Status.PUBLISHED,
                    publish_at=now - timedelta(minutes=total - number),
                    reading_minutes=3,
                    **rendered,
                )
            )
        Article.objects.bulk_create(batch)
        progress("articles", min(first + BATCH, total), total, started)

    if connection.vendor == "postgresql":  # what publishing.save() does, for the bulk-made rows
        Article.objects.update(search_vector=search_document())
    bench_article = Article.objects.get(slug=BENCH_SLUG)
    add_bench_conversation(bench_article, moderator, rng)

    article_ids = list(Article.objects.values_list("pk", flat=True))
    statuses = [Comment.Status.PENDING] * plan["pending"] + [Comment.Status.APPROVED] * (
        plan["comments"] - plan["pending"]
    )
    rng.shuffle(statuses)
    bodies = [sentence(rng, rng.randint(10, 60)) for _ in range(50)]
    html = {text: render_comment_body(text) for text in bodies}
    started = time.monotonic()
    total = len(statuses)
    for first in range(0, total, BATCH):
        batch = []
        for number in range(first, min(first + BATCH, total)):
            text = rng.choice(bodies)
            batch.append(
                Comment(
                    article_id=rng.choice(article_ids),
                    name=f"Reader {number}",
                    email=f"reader{number % 40_000}@example.com",
                    body=text,
                    body_html=html[text],
                    status=statuses[number],
                    held_reasons=["First comment from this email address"],
                    created_at=now - timedelta(seconds=total - number),
                    ip_address=f"10.{number % 250}.{number // 250 % 250}.1",
                )
            )
        Comment.objects.bulk_create(batch)
        progress("comments", min(first + BATCH, total), total, started)

    with transaction.atomic():
        moderation.refresh_counts(article_ids)
        bump()
    # A live database keeps its planner statistics fresh (autovacuum on PostgreSQL); after a
    # bulk load they must be gathered once, or the planner guesses from an empty table.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    session = SessionStore()
    session[SESSION_KEY] = str(moderator.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = moderator.get_session_auth_hash()
    session.create()
    print(json.dumps({"article": bench_article.get_absolute_url(), "session": session.session_key}))


def add_bench_conversation(article, moderator, rng):
    """50 approved comments: threads up to three levels and one staff reply."""
    from comments import moderation
    from comments.models import Comment, depth_under

    when = article.publish_at
    made = []
    for number in range(49):
        parent = None
        if made and number % 3:
            candidate = rng.choice(made)
            parent = candidate if candidate.depth < 2 else None
        comment = Comment(
            article=article,
            parent=parent,
            depth=depth_under(parent),
            name=f"Reader {number}",
            email=f"bench-reader{number}@example.com",
            body=sentence(rng, rng.randint(15, 70)),
            status=Comment.Status.APPROVED,
            created_at=when + timedelta(minutes=number),
        )
        comment.save()
        made.append(comment)
    moderation.reply(made[0], by=moderator, body=sentence(rng, 40))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "small")
