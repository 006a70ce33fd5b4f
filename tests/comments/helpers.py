import time

from comments.forms import sign_timestamp
from comments.models import Comment

SLOW = 60  # seconds: how long ago a person opened the form before posting


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


def make_comment(article, **overrides):
    fields = {
        "name": "Tom",
        "email": f"reader{Comment.objects.count()}@example.com",
        "body": "A thoughtful comment.",
        "status": Comment.Status.APPROVED,
    }
    fields.update(overrides)
    if fields.get("parent") is not None and "depth" not in fields:
        fields["depth"] = min(fields["parent"].depth + 1, 2)
    return Comment.objects.create(article=article, **fields)
