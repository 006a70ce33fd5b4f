from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Subscriptions"

    def ready(self):
        # Imported here, not above: models, and what uses them, load only once Django's app
        # registry is ready.
        from pages import retention
        from subscriptions.signups import what_we_keep

        # The privacy page lists what subscribing leaves here, from the limits signups obey.
        retention.register(what_we_keep)
