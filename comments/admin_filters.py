"""The moderation queue's filters and its paginator, for comments/admin.py."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from articles.models import Article
from comments.models import Comment
from core.text import is_number

Status = Comment.Status


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on the comments waiting for review."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Status.choices, ("all", "All")]

    def queryset(self, request, queryset):
        value = self.value() or Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


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
