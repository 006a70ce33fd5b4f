"""The article list and an article's page: write, file, review, schedule and publish.

The page is one form (articles/admin/forms.py, ArticleForm); its desks add their parts:
revisions.py the history, autosave and compare and restore; workflow.py submit for review
and send back; dates.py the publish time in words, the Schedule panel and the review dates.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import F
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html

from articles import autosave, publishing, workflow
from articles.admin import dates, revisions
from articles.admin import workflow as review_desk
from articles.admin.forms import SCHEDULE, ArticleForm, SourceForm
from articles.models import Article, Source
from articles.permissions import can_edit, can_publish
from core.text import display_name

NO_PICTURE_WARNING = (
    "“{title}” has no featured image: lists show it as text alone, and link previews have "
    "no picture. Choose one under “Picture” if you can."
)


class SourceInline(admin.TabularInline):
    """The article's sources, listed under its body. They change with the article, by
    whoever may change it: where the article is read-only, so are they."""

    model = Source
    form = SourceForm
    extra = 1
    verbose_name_plural = "sources (listed under the article, each linked)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = [SourceInline]
    list_display = ["title", "state", "author_name", "category", "publish_at", "comments"]
    list_display += [dates.review_state, "view_link"]
    list_filter = ["status", "category", "comments_open", "author", dates.DueForReviewFilter]
    list_select_related = ["author", "category"]
    search_fields = ["title", "summary", "body_text"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["image", "tags"]
    ordering = [F("publish_at").desc(nulls_first=True), "-id"]
    actions = ["publish_now", "return_to_draft"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "summary", "body"]}),
        ("Picture", {"fields": ["image"]}),
        ("Filing", {"fields": ["category", "tags"]}),
        ("Review", {"fields": ["reviewed_by", "reviewer_name", "last_reviewed"]}),
        ("Publishing", {"fields": ["status", "publish_at", "publish_when", "comments_open"]}),
    ]

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/admin-autosave.js", "js/publish-when.js"],
            css={"all": ["css/admin.css", "css/admin-revisions.css"]},
        )

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        return article.state_label

    @admin.display(description="Author", ordering="author__last_name")
    def author_name(self, article):
        return display_name(article.author)

    @admin.display(description="Comments", ordering="comment_count")
    def comments(self, article):
        return article.comment_count

    @admin.display(description="On site")
    def view_link(self, article):
        label = "View" if article.is_public else "Preview"
        return format_html('<a href="{}">{}</a>', article.get_absolute_url(), label)

    @admin.display(description="In words")
    def publish_when(self, article):
        return dates.publish_when(article)

    # Who sees and changes what.

    def get_queryset(self, request):
        articles = super().get_queryset(request).with_last_review()
        if can_publish(request.user):
            return articles
        return articles.filter(author=request.user)

    def get_fieldsets(self, request, obj=None):
        if can_publish(request.user):
            return self.fieldsets
        note = "An editor reviews the article and publishes or schedules it."
        *rest, (title, options) = self.fieldsets
        return [*rest, (title, {**options, "description": note})]

    def get_readonly_fields(self, request, obj=None):
        return ["publish_when"] if can_publish(request.user) else ["status", "publish_when"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The article's form for this request: it knows who is editing, and opens with the
        article as it is (or the person's autosave they chose to restore)."""
        form = super().get_form(request, obj, change, **kwargs)  # a class made for this call
        form.editor = request.user
        form.opening = partial(revisions.opening, request, obj)
        return form

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return can_publish(request.user)

    # The article's page.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id)) if object_id else None
        context = {
            **revisions.page_context(request, self, article, object_id),
            **review_desk.page_context(request, article),
            **dates.schedule_context(request, article),
            **(extra_context or {}),
        }
        return super().changeform_view(request, object_id, form_url, context)

    def save_model(self, request, obj, form, change):
        if not can_publish(request.user):
            # Authors never publish; one waiting for review keeps waiting while they edit it.
            if obj.status != Article.Status.REVIEW:
                obj.status = Article.Status.DRAFT
            if not change:
                obj.author = request.user
        review_desk.store(request, obj, form)  # submitted, or stored: either keeps a revision
        if obj.image_id is None:
            messages.warning(request, NO_PICTURE_WARNING.format(title=obj.title))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:  # the draft of the article they were starting is now the article
            autosave.discard(None, request.user)

    def response_add(self, request, obj, post_url_continue=None):
        dates.confirm_publish_time(request, obj)
        if review_desk.was_submitted(request, obj):
            return review_desk.submitted(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        dates.confirm_publish_time(request, obj)
        if review_desk.was_submitted(request, obj):
            return review_desk.submitted(request, obj)
        if SCHEDULE in request.POST:  # its page says when it goes public, at the top
            return redirect("admin:articles_article_change", obj.pk)
        return super().response_change(request, obj)

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("status__exact") == Article.Status.REVIEW:
            extra_context = {"title": "Articles waiting for review", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        def route(pattern, view, name):
            wired = self.admin_site.admin_view(partial(view, model_admin=self))
            return path(pattern, wired, name=f"articles_article_{name}")

        return [
            route("when/", dates.publish_when_view, "when"),
            route("<int:pk>/send-back/", review_desk.send_back_view, "send_back"),
            route("autosave/", revisions.autosave_view, "autosave_new"),
            route("autosave/discard/", revisions.discard_view, "autosave_discard_new"),
            route("<path:object_id>/autosave/", revisions.autosave_view, "autosave"),
            route("<path:object_id>/autosave/discard/", revisions.discard_view, "autosave_discard"),
            route("<path:object_id>/revisions/compare/", revisions.compare_view, "compare"),
            route(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                revisions.restore_view,
                "restore",
            ),
            *super().get_urls(),
        ]

    # The list's actions.

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_now(self, request, queryset):
        drafts = queryset.exclude(status=Article.Status.PUBLISHED)
        pictureless = list(drafts.filter(image=None).values_list("title", flat=True))
        count = workflow.publish_now(queryset, by=request.user)
        self.message_user(request, f"{count} article(s) published.", messages.SUCCESS)
        for title in pictureless:
            self.message_user(request, NO_PICTURE_WARNING.format(title=title), messages.WARNING)

    @admin.action(description="Return selected articles to draft", permissions=["publish"])
    def return_to_draft(self, request, queryset):
        count = publishing.unpublish(queryset, by=request.user)
        self.message_user(request, f"{count} article(s) returned to draft.", messages.SUCCESS)
