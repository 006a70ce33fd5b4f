"""The article desk's dates: the publish time confirmed in words, in the editor's own zone
(live as they type, and again after saving), the Schedule panel, and the review dates (a
column, a filter).

The admin runs in each member of staff's own time zone (core.middleware), so the current
zone here is theirs.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html

from articles import review_dates
from articles.admin.forms import SCHEDULE, PublishTimeEntry
from articles.models import Article
from articles.permissions import can_publish
from core import when

Status = Article.Status


def publish_phrase(status, publish_at, zone, now):
    """What the publish time means, in words, in `zone`: scheduled, published or a draft's."""
    if publish_at is None:
        if status == Status.PUBLISHED:
            return "No publish time: the article is published the moment it is saved."
        if status == Status.REVIEW:
            return "No publish time yet: it gets one when an editor publishes it."
        return "No publish time yet: a draft gets one when it is published."
    day = when.day_and_time(publish_at, zone, now)
    if status == Status.PUBLISHED:
        if publish_at > now:
            return f"Scheduled: publishes on {day}; that is {when.relative(publish_at, zone, now)}."
        return f"{when.in_words(publish_at, zone, now)}."
    tense = "is" if publish_at > now else "was"
    state = "Waiting for review" if status == Status.REVIEW else "Draft"
    return (
        f"{state}, not public. Its publish time is {day}; "
        f"that {tense} {when.relative(publish_at, zone, now)}."
    )


def publish_when(article):
    """The publish time in words under the form's time, kept up to date by publish-when.js."""
    zone = timezone.get_current_timezone()
    phrase = publish_phrase(article.status, article.publish_at, zone, timezone.now())
    return format_html(
        '<p class="publish-when" role="status" id="publish-when" data-publish-when="{}" '
        'data-status="{}">{}</p><p class="publish-when__zone">You enter times in {} '
        '(<a href="{}">change your time zone</a>).</p>',
        reverse("admin:articles_article_when"),
        article.status,
        phrase,
        when.zone_label(zone),
        reverse("admin:core_time_zone"),
    )


def publish_when_view(request, model_admin):
    """JSON for the article form's script: {"phrase": …} for the time being typed."""
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    entry = PublishTimeEntry(
        {
            "publish_at_0": request.GET.get("date", ""),
            "publish_at_1": request.GET.get("time", ""),
            "status": request.GET.get("status", ""),
        }
    )
    zone, now = timezone.get_current_timezone(), timezone.now()
    if not entry.is_valid():
        phrase = "Type a date such as 2026-12-03 and a time such as 09:00."
        return JsonResponse(
            {"phrase": phrase, "valid": False, "button": "Schedule", "schedule": phrase}
        )
    status = entry.cleaned_data["status"] or Status.DRAFT
    at = entry.cleaned_data["publish_at"]
    return JsonResponse(
        {
            "phrase": publish_phrase(status, at, zone, now),
            "valid": True,
            "button": schedule_button(at, zone, now),
            "schedule": schedule_note(at, zone, now),
        }
    )


# The Schedule panel: an editor chooses when an article that is not public yet goes public.


def schedule_button(at, zone, now):
    """What the Schedule button says it will do: "Publish on Tuesday 8 December at 09:00,
    New York time"; plain "Schedule" until a time to come is chosen."""
    if at is None or at <= now:
        return "Schedule"
    return f"Publish on {when.day_and_time(at, zone, now)}"


def schedule_note(at, zone, now):
    """The line under the Schedule panel's time: how far off it is, or what is missing."""
    if at is None:
        return "Choose the day and the time it goes public."
    if at <= now:
        return "That time has passed: choose a later one."
    return f"It goes public by itself then; that is {when.relative(at, zone, now)}."


def scheduled_line(article, zone, now):
    """The top of a scheduled article's page: "Scheduled: goes public Tuesday 8 December at
    09:00, New York time; that is in 3 days." None for one that is not scheduled."""
    if not article.is_scheduled:
        return None
    day = when.day_and_time(article.publish_at, zone, now)
    return f"Scheduled: goes public {day}; that is {when.relative(article.publish_at, zone, now)}."


def schedule_context(request, article):
    """What an article's page shows of its schedule: the line at the top when it is
    scheduled, and, for editors, the Schedule panel while it is not public."""
    if article is None or not can_publish(request.user):
        return {}
    zone, now = timezone.get_current_timezone(), timezone.now()
    if article.is_public:
        return {}
    chosen = article.publish_at if article.publish_at and article.publish_at > now else None
    return {
        "scheduled_line": scheduled_line(article, zone, now),
        "can_schedule": True,
        "schedule_name": SCHEDULE,
        "schedule_button": schedule_button(chosen, zone, now),
        "schedule_note": schedule_note(chosen, zone, now),
        "schedule_initial": chosen,
        "zone_label": when.zone_label(zone),
        "when_url": reverse("admin:articles_article_when"),
    }


def confirm_publish_time(request, article):
    """After a save: the publish time in words, in the editor's zone."""
    if article.publish_at is None:
        return
    zone = timezone.get_current_timezone()
    phrase = publish_phrase(article.status, article.publish_at, zone, timezone.now())
    messages.info(request, f"“{article.title}”: {phrase}")


@admin.display(description="Review", ordering="last_reviewed")
def review_state(article):
    if not article.last_reviewed:
        return "—"
    due = article.review_due
    if due <= review_dates.today():
        return f"Due since {dateformat.format(due, 'F j, Y')}"
    return f"Reviewed {dateformat.format(article.last_reviewed, 'F j, Y')}"


class DueForReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", "Due for review"),
            ("current", "Reviewed, not yet due"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_review()
        if self.value() == "current":
            return queryset.filter(last_reviewed__gt=review_dates.latest_due_review())
        if self.value() == "never":
            return queryset.filter(last_reviewed=None)
        return queryset
