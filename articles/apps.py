from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from articles.models import Article, Category, Image, Tag
        from articles.pagecache import bump
        from comments.models import Comment

        # Signals here only mark cached pages stale. They catch every way a model can change
        # (admin bulk deletes included); the comment flow itself calls bump() explicitly.
        def public_change(sender, raw=False, update_fields=None, **kwargs):
            # A login only stamps the user's last_login: nothing a reader sees.
            if not raw and update_fields != frozenset({"last_login"}):
                bump()

        # Users too: an author's name is on every byline.
        for model in (Article, Category, Tag, Image, get_user_model()):
            uid = model._meta.label_lower
            post_save.connect(public_change, sender=model, weak=False, dispatch_uid=f"save-{uid}")
            post_delete.connect(public_change, sender=model, weak=False, dispatch_uid=f"del-{uid}")
        post_delete.connect(public_change, sender=Comment, weak=False, dispatch_uid="del-comment")
        tags = Article.tags.through
        m2m_changed.connect(public_change, sender=tags, weak=False, dispatch_uid="article-tags")
