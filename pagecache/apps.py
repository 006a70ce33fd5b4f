from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        # Imported here, not above: models, and what uses them, load only once Django's app
        # registry is ready.
        from core.backups import leave_out_of_backups, restored
        from pagecache import versions

        # The public version only means something to the cache of the site it came from;
        # after a restore it moves beyond every version used before, so no old page returns.
        leave_out_of_backups("pagecache.publicversion")
        restored.connect(lambda **kwargs: versions.bump(), weak=False, dispatch_uid="pagecache")
