from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        # Imported here, not above: models, and what uses them, load only once Django's app
        # registry is ready.
        from django.contrib.admin.widgets import AdminTextareaWidget
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from articles import publishing
        from articles.models import Article, Category, Image, Source, Tag
        from core.middleware import allow_admin_import_maps
        from pagecache import gone
        from pagecache.versions import bump, register_next_change

        register_next_change(publishing.next_publication)
        body = Article._meta.get_field("body")
        allow_admin_import_maps(
            "article body", lambda: body.formfield(widget=AdminTextareaWidget).widget.media
        )

        # Articles and images change through articles/publishing.py, which marks cached pages
        # stale itself. What has no verbs of its own (categories, tags, the authors on every
        # byline, an article's tags and sources) and deletions, the admin's bulk ones included, are
        # caught here.
        def public_change(sender, raw=False, update_fields=None, **kwargs):
            # A login only stamps the user's last_login: nothing a reader sees.
            if not raw and update_fields != frozenset({"last_login"}):
                bump()

        for model in (Category, Tag, Source, get_user_model()):
            uid = model._meta.label_lower
            post_save.connect(public_change, sender=model, weak=False, dispatch_uid=f"save-{uid}")
        for model in (Article, Category, Tag, Image, Source, get_user_model()):
            uid = model._meta.label_lower
            post_delete.connect(public_change, sender=model, weak=False, dispatch_uid=f"del-{uid}")

        def article_deleted(sender, instance, **kwargs):
            gone.taken_down([instance.get_absolute_url()])  # "not found" through an outage

        post_delete.connect(article_deleted, sender=Article, weak=False, dispatch_uid="del-gone")
        tags = Article.tags.through
        m2m_changed.connect(public_change, sender=tags, weak=False, dispatch_uid="article-tags")
