from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Emails"

    def ready(self):
        # Imported here, not above: models, and what uses them, load only once Django's app
        # registry is ready.
        from core import health
        from outbox.health import report

        # /health/ says how much mail waits, and whether a worker is taking tasks.
        health.register("outbox", report)
