"""What a visitor's browser remembers of the comments they wrote, in signed cookies.

For the rest of their visit (a cookie that ends when the browser closes): which comments
they wrote, and the details they used. For a year, only when they tick "Remember my name
and email on this device": their name and email. Cookies rather than the session, so that
posting a comment writes no session row, and a visitor's own pages are recognised before
any database is asked (the page cache's `personal_cookie`).
"""

import json

from django.conf import settings
from django.core import signing

from comments.models import Comment

DEVICE_COOKIE = "commenter"
DEVICE_SALT = "comments.remember-on-device"

VISIT_COOKIE = "comments_visit"  # the comments this visitor posted, and the details used
VISIT_SALT = "comments.this-visit"
# A visit's cookie ends when the browser closes; a copy of it is honoured no longer than this.
VISIT_MAX_AGE = 2 * 24 * 60 * 60
OWN_LIMIT = 20


def own_pending(request, article, page):
    """The comments this visitor posted that wait for a moderator, on `page` of a conversation.

    Each is shown on the page its conversation is on; a new conversation, on the last page.
    """
    ids = own_ids(request)
    if not ids:
        return []
    waiting = (Comment.Status.PENDING, Comment.Status.SPAM)
    mine = list(Comment.objects.filter(pk__in=ids, article=article, status__in=waiting))
    keys = {comment.thread_id or comment.parent_id for comment in mine if comment.parent_id}
    public = (
        set(
            Comment.objects.conversations(article)
            .filter(key__in=keys)
            .values_list("key", flat=True)
        )
        if keys
        else set()
    )
    return [comment for comment in mine if page.shows(comment, public)]


def own_ids(request):
    """The ids of the comments this visitor posted during their visit."""
    return _this_visit(request).get("ids", [])


def remembered_details(request):
    """The name, email and reply choice this visitor used last, to fill the form with."""
    visit = _this_visit(request)
    return {key: visit[key] for key in ("name", "email", "notify_replies") if key in visit}


def remember_own(request, response, comment):
    """Keep, until the browser closes, which comments this visitor wrote and their details.

    "For the rest of their visit": on a shared computer the next person must not find the
    name and email filled in. While the cookie is there, their pages show their pending
    comments, so the page cache renders those pages for them alone.
    """
    ids = [pk for pk in own_ids(request) if pk != comment.pk]
    visit = {
        "ids": [*ids, comment.pk][-OWN_LIMIT:],
        "name": comment.name,
        "email": comment.email,
        "notify_replies": comment.notify_replies,
    }
    response.set_signed_cookie(
        VISIT_COOKIE,
        json.dumps(visit),
        salt=VISIT_SALT,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _this_visit(request):
    try:
        signed = request.get_signed_cookie(VISIT_COOKIE, salt=VISIT_SALT, max_age=VISIT_MAX_AGE)
        visit = json.loads(signed)
    except (KeyError, signing.BadSignature, ValueError):
        return {}
    if not isinstance(visit, dict) or not all(isinstance(pk, int) for pk in visit.get("ids", [])):
        return {}
    return visit


def remembered_on_device(request):
    """The name and email this device was asked to remember, or {} (read once a request:
    a cached page asks for each of its placeholders)."""
    if not hasattr(request, "_remembered_on_device"):
        request._remembered_on_device = _read_device_cookie(request)
    return request._remembered_on_device


def _read_device_cookie(request):
    try:
        value = request.get_signed_cookie(
            DEVICE_COOKIE, salt=DEVICE_SALT, max_age=settings.COMMENTS_REMEMBER_DAYS * 24 * 60 * 60
        )
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
    """Remove the remembered name and email, if this device holds them."""
    if DEVICE_COOKIE in request.COOKIES:
        response.delete_cookie(DEVICE_COOKIE, samesite="Lax")
