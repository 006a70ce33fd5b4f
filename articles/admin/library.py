"""The article desk's library: pictures (with the body editor's picker), categories, tags."""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from articles import publishing
from articles.admin.forms import ImageUploadForm
from articles.images import rendition_url
from articles.models import Category, Image, Tag
from articles.permissions import can_change_image


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
        picker = self.admin_site.admin_view(partial(picker_view, model_admin=self))
        return [path("picker/", picker, name="articles_image_picker"), *super().get_urls()]


def picker_view(request, model_admin):
    """The window the body editor's "Browse…" button opens: pick or upload an image."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = None
    if model_admin.has_add_permission(request):
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
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Choose an image",
        "opts": Image._meta,
        "page": page,
        "choices": [(image, rendition_url(image, 0)) for image in page],
        "query": query,
        "form": form,
        "func_num": request.GET.get("CKEditorFuncNum", ""),
        "is_popup": True,
    }
    return TemplateResponse(request, "admin/articles/image/picker.html", context)
