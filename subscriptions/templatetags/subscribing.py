"""{% subscribe_form "footer" %}: the sign-up form, the same for every visitor (cacheable)."""

from django import template
from django.db.models import Count, Q

from subscriptions.forms import SubscribeForm
from subscriptions.models import MailingList, Subscription

register = template.Library()


@register.inclusion_tag("subscriptions/_form.html", takes_context=True)
def subscribe_form(context, place, heading="Get the news by email"):
    """The form for `place` ("footer", "article"): ids of its own, every offered list unticked.

    The lists are read once for the whole page (render_context lasts one rendering).
    """
    root = context.render_context.dicts[0]  # shared by every template of this rendering
    if _LISTS not in root:
        root[_LISTS] = list(MailingList.objects.filter(is_public=True))
    form = SubscribeForm(place=place, lists=root[_LISTS])
    return {"form": form, "place": place, "heading": heading}


_LISTS = "subscriptions.offered_lists"


@register.simple_tag
def subscriber_counts():
    """Confirmed subscribers of each list, for the admin's front page: [(name, count)]."""
    confirmed = Q(subscriptions__status=Subscription.Status.CONFIRMED)
    return list(
        MailingList.objects.annotate(total=Count("subscriptions", filter=confirmed)).values_list(
            "name", "total"
        )
    )
