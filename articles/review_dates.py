"""When a health article was last checked, and when it is due to be checked again.

An article may carry who reviewed it (a member of staff, or a clinician named in words) and
when. ARTICLES_REVIEW_AFTER_MONTHS after that date it is due for review: the admin lists it
(a filter, a column, a count on the front page) and the moderators' daily digest names it.
An article never reviewed is not due: not every article needs a clinician's eye.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone


def add_months(day, months):
    """`day` moved by `months` calendar months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_date(last_reviewed):
    """The day an article reviewed on `last_reviewed` is due for review again."""
    return add_months(last_reviewed, settings.ARTICLES_REVIEW_AFTER_MONTHS)


def today(now=None):
    """Today in the site's zone: due dates are the same for every member of staff."""
    return timezone.localdate(now or timezone.now(), timezone.get_default_timezone())


def latest_due_review(now=None):
    """The latest review date that is due by today: due_date(day) <= today exactly when
    day <= this (a review on 29 February is due on 28 February a year later)."""
    day = today(now)
    cutoff = add_months(day, -settings.ARTICLES_REVIEW_AFTER_MONTHS)
    if day.day == calendar.monthrange(day.year, day.month)[1]:  # the month's last day
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


def review_errors(article, now=None):
    """What is wrong with an article's review details, by field (empty when nothing)."""
    has_reviewer = bool(article.reviewed_by_id or article.reviewer_name.strip())
    errors = {}
    if article.reviewed_by_id and article.reviewer_name.strip():
        errors["reviewer_name"] = (
            "Choose a member of staff or name a clinician, not both: readers see one reviewer."
        )
    if article.last_reviewed and not has_reviewer:
        errors["reviewed_by"] = "Say who reviewed the article: a member of staff or a clinician."
    if has_reviewer and not article.last_reviewed:
        errors["last_reviewed"] = "Give the date of the review, so readers know how recent it is."
    # A day's grace: staff ahead of the site's zone may already be on tomorrow.
    if article.last_reviewed and article.last_reviewed > today(now) + timedelta(days=1):
        errors["last_reviewed"] = "A review date cannot be in the future."
    return errors
