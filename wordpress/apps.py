from django.apps import AppConfig


class WordpressConfig(AppConfig):
    name = "wordpress"
    verbose_name = "Moving from WordPress"
