"""Every change to the mailing lists staff keep goes through here.

Every page's footer offers the public lists to sign up to: adding, changing or removing one
marks the cached pages stale, and purges them from a front cache, in its own transaction.
"""

from django.db import transaction

from pagecache.versions import bump


def save(mailing_list):
    """Store `mailing_list`; every page's sign-up form offers it as it is now."""
    with transaction.atomic():
        mailing_list.save()
        bump()
    return mailing_list


def delete(mailing_lists):
    """Delete `mailing_lists` (a queryset); no page offers them any more."""
    with transaction.atomic():
        deleted = mailing_lists.delete()
        bump()
    return deleted
