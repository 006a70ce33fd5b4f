"""Old WordPress addresses answer with a permanent redirect to their new pages."""

from django.http import HttpResponsePermanentRedirect

from wordpress.models import OldLink

# Query parameters WordPress answers on its home page: ?p=12, ?page_id=4, ?cat=3, ?feed=rss2.
HOME_QUERIES = {"p", "page_id", "cat", "tag", "feed", "attachment_id"}


class OldLinksMiddleware:
    """Look an address up in OldLink when nothing here answers it (a 404), or when it is
    the home page with one of WordPress's query parameters. Other requests cost nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and HOME_QUERIES.intersection(request.GET):
            redirect = self.redirect_for(request)
            if redirect:
                return redirect
        response = self.get_response(request)
        # A page taken down, answered while the database is away (core/unavailable.py), has
        # no old address to look up.
        if response.status_code == 404 and not getattr(response, "taken_down", False):
            return self.redirect_for(request) or response
        return response

    def redirect_for(self, request):
        path = request.get_full_path()
        candidates = [path]
        post_id = request.GET.get("p", "")
        if post_id.isdigit():  # /?p=12&preview=true, /?p=12&replytocom=5
            candidates.append(f"/?p={post_id}")
        if "?" in path:
            candidates.append(path.split("?", 1)[0])
        elif not path.endswith("/"):
            candidates.append(path + "/")
        link = OldLink.objects.filter(old_path__in=candidates).first()
        return HttpResponsePermanentRedirect(link.new_path) if link else None
