from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes as staff read it in the admin: "Login attempts", not "AXES"."""

    verbose_name = "Login attempts"
