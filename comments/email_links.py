"""Approve and Reject links in moderators' emails: one act, without logging in.

A link is signed, names one moderator, one comment and one act, and lasts 72 hours. It
carries a fingerprint of the comment as the email showed it, so it works once: the act
changes the comment, and so does any other moderator's act in the meantime. Opening the
link only shows a page with one button (a POST): a mail scanner that opens links changes
nothing. The act is recorded in the comment's history as that moderator's, via email
(moderation.act_from_email).
"""

import hashlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from comments.models import Comment, Event
from outbox.messages import absolute

SALT = "comments.email-link"
LIFETIME = timedelta(hours=72)
# The act a link may do: the button's label, and the history row it leaves.
ACTS = {"approve": ("Approve", Event.Kind.APPROVED), "reject": ("Reject", Event.Kind.REJECTED)}


class Unusable(Exception):
    """The link cannot be used; `message` says why, for the page that says so."""

    def __init__(self, message, comment=None):
        super().__init__(message)
        self.message = message
        self.comment = comment


def fingerprint(comment):
    state = f"{comment.status}|{comment.moderated_at}|{comment.body}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def make(moderator, comment, act):
    data = {"m": moderator.pk, "c": comment.pk, "a": act, "f": fingerprint(comment)}
    return signing.dumps(data, salt=SALT, compress=True)


def for_moderator(moderator, comments):
    """{comment id: {"approve": url, "reject": url}} for `moderator`'s email."""
    return {
        comment.pk: {
            act: absolute(reverse("comments:email_link", args=[make(moderator, comment, act)]))
            for act in ACTS
        }
        for comment in comments
    }


def read(token):
    """Return (moderator, comment, act) for a usable link; raise Unusable if it is not."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LIFETIME)
        moderator_id, comment_id, act, mark = data["m"], data["c"], data["a"], data["f"]
    except signing.SignatureExpired:
        raise Unusable(
            "This link has expired: links in moderation emails work for 72 hours. "
            "Please open the comment in the admin instead."
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Unusable(
            "This link is not valid: it may have been cut short or changed on the way. "
            "Please open the comment in the admin instead."
        ) from None
    well_formed = isinstance(moderator_id, int) and isinstance(comment_id, int)
    well_formed = well_formed and isinstance(act, str) and isinstance(mark, str)
    if not well_formed or act not in ACTS:
        raise Unusable("This link is not valid. Please open the comment in the admin instead.")
    moderator = get_user_model().objects.filter(pk=moderator_id).first()
    if moderator is None or not (
        moderator.is_active
        and moderator.is_staff
        and moderator.has_perm("comments.moderate_comment")
    ):
        raise Unusable("This link no longer works: the account it was sent to cannot moderate.")
    comment = Comment.objects.filter(pk=comment_id).select_related("article").first()
    if comment is None:
        raise Unusable("This comment has been deleted since the email was sent.")
    if fingerprint(comment) != mark:
        used = Event.objects.filter(
            comment=comment, by=moderator, via=Event.Via.EMAIL, kind=ACTS[act][1]
        ).exists()
        if used:
            raise Unusable("You have already used this link. Each link works once.", comment)
        raise Unusable(
            f"This comment has changed since the email was sent: it is now "
            f"{comment.get_status_display().lower()}. Nothing was done; open it in the admin "
            "to see what happened.",
            comment,
        )
    if act == "approve" and comment.is_urgent:
        # Its guidance says: answer the writer today, and do not publish it as it is.
        raise Unusable(
            "This comment is urgent: it may come from someone in distress. Nothing was done. "
            "Open it in the admin, read the guidance at the top, and answer the writer before "
            "you decide whether to publish it.",
            comment,
        )
    return moderator, comment, act


def comment_id(token):
    """The comment a link names, read without checking anything else (for locking it)."""
    try:
        return signing.loads(token, salt=SALT)["c"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
