from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from articles import publishing, workflow
from articles.admin_dates import ArticleDatesMixin, DueForReviewFilter
from articles.admin_revisions import RevisionsAdminMixin
from articles.admin_workflow import ReviewAdminMixin
from articles.images import rendition_url
from articles.models import Article, Category, Image, Source, Tag
from articles.permissions import can_change_image, can_edit, can_publish
from articles.sources import normalise_doi
from core.text import display_name


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ImageUploadForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["title", "file", "alt_text", "caption", "credit"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "title", "alt_text", "size", "uploaded_by", "created_at"]
    list_display_links = ["preview", "title"]
    list_select_related = ["uploaded_by"]
    search_fields = ["title", "alt_text", "caption", "credit"]
    readonly_fields = ["preview", "size", "uploaded_by", "created_at"]
    fields = ["title", "file", "preview", "size", "alt_text", "caption", "credit"]
    fields += ["uploaded_by", "created_at"]

    @admin.display(description="Image")
    def preview(self, image):
        if not image.pk:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="120" style="height:auto">', rendition_url(image, 0)
        )

    @admin.display(description="Size")
    def size(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        publishing.save_image(obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_change_image(request.user, obj))

    def get_urls(self):
        picker = self.admin_site.admin_view(self.picker_view)
        return [path("picker/", picker, name="articles_image_picker"), *super().get_urls()]

    def picker_view(self, request):
        """The window the body editor's "Browse…" button opens: pick or upload an image."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        can_add = self.has_add_permission(request)
        form = None
        if can_add:
            form = ImageUploadForm(request.POST or None, request.FILES or None)
            if request.method == "POST" and form.is_valid():
                image = form.save(commit=False)
                image.uploaded_by = request.user
                publishing.save_image(image)
                messages.success(request, f"“{image.title}” was uploaded. Choose it below.")
                return redirect(f"{request.path}?{request.GET.urlencode()}")
        query = request.GET.get("q", "").strip()[:100]
        found = Image.objects.all()
        if query:
            found = found.filter(title__icontains=query) | found.filter(alt_text__icontains=query)
        page = Paginator(found, 24).get_page(request.GET.get("page"))
        for image in page:
            image.thumbnail = rendition_url(image, 0)
        context = {
            **self.admin_site.each_context(request),
            "title": "Choose an image",
            "opts": self.model._meta,
            "page": page,
            "query": query,
            "form": form,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title", "slug", "author", "summary", "body", "image", "category", "tags",
            "status", "publish_at", "comments_open",
            "reviewed_by", "reviewer_name", "last_reviewed",
        ]  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "publication", "url", "doi", "position"]

    def clean_doi(self):
        # Pasted as https://doi.org/10.… or "doi: 10.…", it is stored bare.
        return normalise_doi(self.cleaned_data["doi"])


class SourceInline(admin.TabularInline):
    """The article's sources, listed under its body. They change with the article, by
    whoever may change it: where the article is read-only, so are they."""

    model = Source
    form = SourceForm
    extra = 1
    verbose_name_plural = "sources (listed under the article, each linked)"


NO_PICTURE_WARNING = (
    "“{title}” has no featured image: lists show it as text alone, and link previews have "
    "no picture. Choose one under “Picture” if you can."
)


@admin.register(Article)
class ArticleAdmin(RevisionsAdminMixin, ReviewAdminMixin, ArticleDatesMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [SourceInline]
    list_display = ["title", "state", "author_name", "category", "publish_at", "comments"]
    list_display += ["review_state", "view_link"]
    list_filter = ["status", "category", "comments_open", "author", DueForReviewFilter]
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

    def get_queryset(self, request):
        articles = super().get_queryset(request)
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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        author = form.base_fields.get("author")
        if author is None:  # a page they may only view: every field is shown read-only
            return form
        author.label_from_instance = display_name
        # Authors always write under their own name; the field shows it but cannot change.
        if not can_publish(request.user):
            author.disabled = True
            author.initial = request.user.pk
        return form

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not can_publish(request.user):
            # Authors never publish; one waiting for review keeps waiting while they edit it.
            if obj.status != Article.Status.REVIEW:
                obj.status = Article.Status.DRAFT
            if not change:
                obj.author = request.user
        # admin_workflow.py: submit for review, or store the edit; either keeps a revision.
        self.store_article(request, obj, form)
        if obj.image_id is None:
            messages.warning(request, NO_PICTURE_WARNING.format(title=obj.title))

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
