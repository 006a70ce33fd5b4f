from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from django.middleware.csrf import get_token

        from pagecache import placeholders

        # A form's CSRF token belongs to the visitor's CSRF cookie.
        placeholders.register("csrf", lambda request, argument: get_token(request))
