"""Forms in pages that every visitor shares: refused when sent from another site.

A page a front cache or CDN holds is the same bytes for everyone, so a form in it cannot
carry a token of the visitor's own (Django's CSRF token). The comment form and the
newsletter sign-up need none: a browser says where a form was sent from, and a POST another
site made a reader's browser send is refused here, as Django's CSRF check would refuse it.

- `Sec-Fetch-Site` (every current browser sends it): only "same-origin", or "none" (typed
  or bookmarked), passes; "same-site" (another subdomain) and "cross-site" do not.
- Otherwise `Origin` (sent with every POST by browsers of the last years): it must be this
  site's own, or one of CSRF_TRUSTED_ORIGINS; "null" (a sandboxed frame) does not pass.
- Otherwise, on HTTPS, `Referer` must be this site's.
A request with none of them is not a browser's cross-site form: a script can send anything
it likes, and the form's own rules (its signed timestamp, flood limits) still apply.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

SAME = {"same-origin", "none"}


def sent_from_another_site(request):
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site.lower() not in SAME
    ours = f"{request.scheme}://{request.get_host()}"
    trusted = {ours, *settings.CSRF_TRUSTED_ORIGINS}
    origin = request.headers.get("Origin")
    if origin:
        return origin not in trusted
    referer = request.headers.get("Referer")
    if referer and request.is_secure():
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" not in trusted
    return False


def same_site_forms(view):
    """Decorate a view whose form is in pages everyone shares: no CSRF token is asked of its
    POSTs, and one sent from another site gets a 403 page that says what happened."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method == "POST" and sent_from_another_site(request):
            return render(request, "403_other_site.html", status=403)
        return view(request, *args, **kwargs)

    checked.same_site_only = True
    return csrf_exempt(checked)
