"""{% subscribe_form "footer" %}: the sign-up form, the same for every visitor (cacheable)."""

from django import template
from django.db.models import Count, Q

from subscriptions.forms import SubscribeForm
from subscriptions.models import MailingList, Subscription

register = template.Library()


@register.inclusion_tag("subscriptions/_form.html")
def subscribe_form(place, heading="Get the news by email"):
    """The form for `place` ("footer", "article"): ids of its own, every offered list ticked."""
    lists = MailingList.objects.filter(is_public=True)
    return {"form": SubscribeForm(place=place, lists=lists), "place": place, "heading": heading}


@register.simple_tag
def subscriber_counts():
    """Confirmed subscribers of each list, for the admin's front page: [(name, count)]."""
    confirmed = Q(subscriptions__status=Subscription.Status.CONFIRMED)
    return list(
        MailingList.objects.annotate(total=Count("subscriptions", filter=confirmed)).values_list(
            "name", "total"
        )
    )
