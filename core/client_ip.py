from django.conf import settings


def client_ip(request):
    """The reader's IP address, looking through the trusted reverse proxies, if any."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    if proxies and len([part for part in forwarded if part]) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
