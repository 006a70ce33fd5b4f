"""What a visitor's session remembers of the comments they wrote, for the rest of their visit."""

from comments.models import Comment

OWN_COMMENTS = "comments.mine"  # session key: ids of the comments this visitor posted
COMMENTER = "comments.commenter"  # session key: the name and email they used
OWN_LIMIT = 20


def own_pending(request, article):
    """The comments this visitor posted on `article` that still wait for a moderator."""
    session = getattr(request, "session", None)
    ids = session.get(OWN_COMMENTS, []) if session is not None else []
    if not ids:
        return []
    waiting = (Comment.Status.PENDING, Comment.Status.SPAM)
    return list(Comment.objects.filter(pk__in=ids, article=article, status__in=waiting))


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
