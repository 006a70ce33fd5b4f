"""What a visitor's browser remembers of the comments they wrote.

For the rest of their visit (the session): which comments they wrote, and the details they
used. For a year, only when they tick "Remember my name and email on this device": their
name and email, in a signed cookie.
"""

import json

from django.conf import settings
from django.core import signing
from django.utils.html import escape

from comments.models import Comment

DEVICE_COOKIE = "commenter"
DEVICE_SALT = "comments.remember-on-device"
# In a cached page the remembered name and email are filled in for each visitor through
# this page-cache placeholder (registered in comments/apps.py).
DEVICE_PLACEHOLDER = "commenter"

OWN_COMMENTS = "comments.mine"  # session key: ids of the comments this visitor posted
COMMENTER = "comments.commenter"  # session key: the name and email they used
OWN_LIMIT = 20


def own_pending(request, article, page):
    """The comments this visitor posted that wait for a moderator, on `page` of a conversation.

    Each is shown on the page its conversation is on; a new conversation, on the last page.
    """
    ids = own_ids(request)
    if not ids:
        return []
    waiting = (Comment.Status.PENDING, Comment.Status.SPAM)
    mine = Comment.objects.filter(pk__in=ids, article=article, status__in=waiting)
    return [comment for comment in mine if page.shows(comment)]


def own_ids(request):
    """The ids of the comments this visitor posted during their visit."""
    session = getattr(request, "session", None)
    return session.get(OWN_COMMENTS, []) if session is not None else []


def remembered_details(request):
    """The name, email and reply choice this visitor used last, to fill the form with."""
    session = getattr(request, "session", None)
    return session.get(COMMENTER, {}) if session is not None else {}


def remember_own(request, comment):
    """Keep, until the browser closes, which comments this visitor wrote and their details.

    "For the rest of their visit": on a shared computer the next person must not find the
    name and email filled in. While the session holds them, their pages show their pending
    comments, so the page cache renders those pages for them alone (see `is_remembered`).
    """
    request.session.set_expiry(0)
    ids = [pk for pk in request.session.get(OWN_COMMENTS, []) if pk != comment.pk]
    request.session[OWN_COMMENTS] = [*ids, comment.pk][-OWN_LIMIT:]
    request.session[COMMENTER] = {
        "name": comment.name,
        "email": comment.email,
        "notify_replies": comment.notify_replies,
    }


def is_remembered(session):
    """Does this session hold comments or details that pages show their visitor?"""
    return OWN_COMMENTS in session or COMMENTER in session


def remembered_on_device(request):
    """The name and email this device was asked to remember, or {}."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT)
        details = json.loads(value)
    except (KeyError, signing.BadSignature, ValueError):
        return {}
    if not isinstance(details, dict):
        return {}
    return {key: str(details[key]) for key in ("name", "email") if key in details}


def remember_on_device(response, comment):
    """Keep `comment`'s name and email on the writer's device, as they asked."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        json.dumps({"name": comment.name, "email": comment.email}),
        salt=DEVICE_SALT,
        max_age=settings.COMMENTS_REMEMBER_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_on_device(request, response):
    if DEVICE_COOKIE in request.COOKIES:
        response.delete_cookie(DEVICE_COOKIE, samesite="Lax")


def device_placeholder(request, field):
    """The page-cache placeholder's value: HTML-escaped, as it goes into the page as is."""
    details = remembered_on_device(request)
    if field == "remember":
        return " checked" if details else ""
    return escape(details.get(field, ""))
