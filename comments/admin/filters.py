"""The moderation queue's filters and its paginator (comments/admin/comments.py)."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from articles.models import Article
from comments.models import Comment
from core.text import is_number

Status = Comment.Status


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on the comments waiting for review; a search looks in every status.

    A moderator searching for yesterday's approved comment finds it, unless they chose a
    status, which the search then keeps to.
    """

    title = "status"
    parameter_name = "status"

    @classmethod
    def chosen(cls, request):
        """The status the list shows: the one chosen, else all when searching, else pending."""
        value = request.GET.get(cls.parameter_name)
        if value:
            return value
        return "all" if request.GET.get("q", "").strip() else Status.PENDING

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.current = self.chosen(request)

    def lookups(self, request, model_admin):
        return [*Status.choices, ("all", "All")]

    def queryset(self, request, queryset):
        value = self.current
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.current
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class OrderFilter(admin.SimpleListFilter):
    """Oldest or newest first, one click either way; urgent comments come first in both.

    The comments waiting for review are a queue, served in turn: they open oldest first, as
    the admin's front page and the daily digest list them, so the longest wait is seen
    first. Other lists (approved, rejected, a search) are history: newest first. The
    ordering itself is CommentAdmin.get_ordering's: this filter only offers the choice.
    """

    title = "order"
    parameter_name = "order"
    OLDEST, NEWEST = "oldest", "newest"

    @classmethod
    def chosen(cls, request):
        """The order the list shows: the one chosen, else oldest first for the queue."""
        value = request.GET.get(cls.parameter_name)
        if value in (cls.OLDEST, cls.NEWEST):
            return value
        return cls.OLDEST if StatusFilter.chosen(request) == Status.PENDING else cls.NEWEST

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.current = self.chosen(request)

    def lookups(self, request, model_admin):
        return [(self.OLDEST, "Oldest first"), (self.NEWEST, "Newest first")]

    def queryset(self, request, queryset):
        return queryset

    def choices(self, changelist):
        current = self.current
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class FlaggedFilter(admin.SimpleListFilter):
    title = "flags"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("urgent", "Urgent"), ("any", "Health-sensitive"), ("none", "Not flagged")]

    def queryset(self, request, queryset):
        if self.value() == "urgent":
            return queryset.filter(is_urgent=True)
        if self.value() == "any":
            return queryset.exclude(flags=[])
        if self.value() == "none":
            return queryset.filter(flags=[], is_urgent=False)
        return queryset


class QuestionsFilter(admin.SimpleListFilter):
    """Questions for staff: comments that ask something and have no staff answer yet."""

    title = "questions for staff"
    parameter_name = "questions"

    def lookups(self, request, model_admin):
        return [("open", "Not yet answered")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(pk__in=Comment.objects.questions_for_staff().values("pk"))
        return queryset


class ArticleFilter(admin.SimpleListFilter):
    """Articles with recent comments; the whole archive would make the sidebar endless."""

    title = "article"
    parameter_name = "article"

    def lookups(self, request, model_admin):
        recent = Comment.objects.order_by("-created_at").values_list("article_id", flat=True)
        ids = list(dict.fromkeys(recent[:500]))[:25]
        titles = dict(Article.objects.filter(pk__in=ids).values_list("pk", "title"))
        selected = self.value()
        if selected and is_number(selected) and int(selected) not in titles:
            titles.update(Article.objects.filter(pk=selected).values_list("pk", "title"))
            ids.append(int(selected))
        return [(str(pk), titles[pk]) for pk in ids if pk in titles]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(article_id=value) if value and is_number(value) else queryset


class StaffReplyFilter(admin.SimpleListFilter):
    title = "staff reply"
    parameter_name = "staff"

    def lookups(self, request, model_admin):
        return [
            ("answered", "Answered by staff"),
            ("unanswered", "Not answered by staff"),
            ("reply", "Is a staff reply"),
        ]

    def queryset(self, request, queryset):
        answered = Comment.objects.filter(is_staff_reply=True).values("parent_id")
        if self.value() == "answered":
            return queryset.filter(pk__in=answered)
        if self.value() == "unanswered":
            return queryset.filter(is_staff_reply=False).exclude(pk__in=answered)
        if self.value() == "reply":
            return queryset.filter(is_staff_reply=True)
        return queryset


class CappedPaginator(Paginator):
    """Counts at most CAP comments: a queue of 100,000 should not cost a full count a page."""

    CAP = 1000

    @cached_property
    def count(self):
        # Without the queue's ordering: counting needs no sort, only the first CAP rows.
        return self.object_list.order_by()[: self.CAP + 1].count()

    @property
    def is_capped(self):
        return self.count > self.CAP
