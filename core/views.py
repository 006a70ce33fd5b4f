"""Site-wide answers no app owns: robots.txt, the favicon and, without a proxy, uploads."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.generic import TemplateView
from django.views.static import serve


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap = self.request.build_absolute_uri(reverse("sitemap"))
        return super().get_context_data(sitemap_url=sitemap, **kwargs)


def media(request, path):
    """Serve an upload from the local disk when no reverse proxy does (SERVE_MEDIA); else 404.

    Uploads kept in object storage (MEDIA_S3_BUCKET) are served by the store itself.
    """
    if not settings.SERVE_MEDIA or not isinstance(default_storage, FileSystemStorage):
        raise Http404("Uploads are served by the web server.")
    return serve(request, path, document_root=default_storage.location)


def favicon(request):
    return redirect(static("img/favicon.svg"), permanent=True)
