from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        # Imported here, not above: models, and what uses them, load only once Django's app
        # registry is ready.
        from comments import unsent
        from comments.forms import TIMESTAMP_PLACEHOLDER, sign_timestamp
        from comments.privacy import what_we_keep
        from comments.visitor import DEVICE_COOKIE, VISIT_COOKIE
        from core import unavailable
        from core.backups import leave_out_of_backups
        from pagecache import placeholders
        from pagecache.serving import personal_cookie
        from pages import retention

        # Each visitor of a cached article page gets a form timestamp signed as it is served,
        # so the "sent too fast" rule measures their visit, not the cached copy's age.
        placeholders.register(
            TIMESTAMP_PLACEHOLDER, lambda request, article_id: sign_timestamp(int(article_id))
        )
        # A commenter sees their pending comments and their name in the form, and a device
        # asked to remember them its name and email: their pages are theirs alone.
        personal_cookie(VISIT_COOKIE)
        personal_cookie(DEVICE_COOKIE)
        # The privacy page lists what comments leave here, from the settings purging obeys.
        retention.register(what_we_keep)
        # Posts in flight when the backup was taken are long over when it is restored.
        leave_out_of_backups("comments.postinflight")
        # A comment handed back unsent (paused, busy, no database) shows the help its words
        # call for, as a held one does.
        unavailable.help_for_unsent(unsent.help_html)
