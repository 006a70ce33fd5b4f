"""The signed links in subscription emails: each says who it is for, and nothing else does.

No login is needed to confirm, manage or leave: the link's signature is the authority, so
it is made with the secret key and a salt of its own for each purpose.
"""

from datetime import timedelta

from django.core import signing

CONFIRM_MAX_AGE = timedelta(days=7)  # unconfirmed sign-ups expire with their link


class BadLink(Exception):
    """The link was altered, cut short, or made for something else."""


class ExpiredLink(BadLink):
    """The link was real, but is too old."""


def confirm_token(subscriber, list_ids):
    return signing.dumps({"s": subscriber.pk, "l": sorted(list_ids)}, salt="subscriptions.confirm")


def read_confirm_token(token):
    """Return (subscriber id, list ids) or raise BadLink / ExpiredLink."""
    try:
        data = signing.loads(token, salt="subscriptions.confirm", max_age=CONFIRM_MAX_AGE)
        return int(data["s"]), [int(pk) for pk in data["l"]]
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadLink from None


def manage_token(subscriber):
    return signing.dumps(subscriber.pk, salt="subscriptions.manage")


def read_manage_token(token):
    return _read_id(token, "subscriptions.manage")


def unsubscribe_token(subscriber, list_ids):
    return signing.dumps([subscriber.pk, sorted(list_ids)], salt="subscriptions.unsubscribe")


def read_unsubscribe_token(token):
    """Return (subscriber id, list ids) or raise BadLink."""
    try:
        subscriber_id, list_ids = signing.loads(token, salt="subscriptions.unsubscribe")
        return int(subscriber_id), [int(pk) for pk in list_ids]
    except (signing.BadSignature, TypeError, ValueError):
        raise BadLink from None


def _read_id(token, salt):
    try:
        return int(signing.loads(token, salt=salt))
    except (signing.BadSignature, TypeError, ValueError):
        raise BadLink from None
