from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.csv_export import csv_response
from subscriptions import editions, lists, tasks
from subscriptions.models import Edition, MailingList, Subscriber, Subscription

Status = Subscription.Status


@admin.register(MailingList)
class MailingListAdmin(admin.ModelAdmin):
    list_display = ["name", "confirmed", "waiting", "is_digest", "is_public", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        lists.save(obj)

    def delete_model(self, request, obj):
        lists.delete(MailingList.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        lists.delete(queryset)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count(
                    "subscriptions", filter=Q(subscriptions__status=Status.CONFIRMED)
                ),
                waiting_count=Count(
                    "subscriptions", filter=Q(subscriptions__status=Status.PENDING)
                ),
            )
        )

    @admin.display(description="Subscribers", ordering="confirmed_count")
    def confirmed(self, mailing_list):
        return mailing_list.confirmed_count

    @admin.display(description="Waiting to confirm", ordering="waiting_count")
    def waiting(self, mailing_list):
        return mailing_list.waiting_count


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ["mailing_list", "status", "requested_at", "confirmed_at", "left_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # readers subscribe themselves, and confirm by email


class ListFilter(admin.SimpleListFilter):
    title = "list"
    parameter_name = "list"

    def lookups(self, request, model_admin):
        return [(str(m.pk), m.name) for m in MailingList.objects.all()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(subscriptions__mailing_list_id=self.value()).distinct()
        return queryset


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            return queryset.filter(subscriptions__status=self.value()).distinct()
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "lists", "created_at", "source"]
    list_filter = [StatusFilter, ListFilter, "created_at"]
    search_fields = ["email", "source"]
    readonly_fields = ["email", "created_at", "source"]
    fields = readonly_fields
    inlines = [SubscriptionInline]
    actions = ["export_csv"]
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("subscriptions__mailing_list")

    @admin.display(description="Lists")
    def lists(self, subscriber):
        return ", ".join(
            f"{s.mailing_list.name} ({s.get_status_display().lower()})"
            for s in subscriber.subscriptions.all()
        )

    def has_add_permission(self, request):
        return False  # only the address's owner subscribes it, by confirming

    @admin.action(description="Export selected subscribers as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        rows = Subscription.objects.filter(subscriber__in=queryset).select_related(
            "subscriber", "mailing_list"
        )
        header = ["email", "list", "status", "requested", "confirmed", "left", "signed up on"]
        return csv_response(
            "subscribers.csv",
            header,
            (
                [
                    s.subscriber.email,
                    s.mailing_list.name,
                    s.get_status_display(),
                    s.requested_at.isoformat(),
                    s.confirmed_at.isoformat() if s.confirmed_at else "",
                    s.left_at.isoformat() if s.left_at else "",
                    s.subscriber.source,
                ]  # fmt: skip
                for s in rows.order_by("subscriber__email", "mailing_list__position")
            ),
        )


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    """Newsletter issues: write, preview, send a test to yourself, then send (once)."""

    list_display = ["subject", "mailing_list", "state", "created_at"]
    list_filter = ["mailing_list", "status"]
    search_fields = ["subject"]
    autocomplete_fields = ["articles"]
    fields = ["mailing_list", "subject", "introduction", "articles"]

    @admin.display(description="Status")
    def state(self, edition):
        if edition.status == Edition.Status.DRAFT:
            return "Draft"
        done = editions.progress_of(edition)
        failed = f" ({done['failed']:,} failed)" if done["failed"] else ""
        if done["sent"] + done["failed"] < edition.recipients or not edition.recipients:
            return f"Sending: {done['sent']:,} of {edition.recipients:,} sent so far{failed}"
        return f"Sent {done['sent']:,} of {edition.recipients:,}{failed}"

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None and obj.status != Edition.Status.DRAFT else []

    def get_changeform_initial_data(self, request):
        newsletter = MailingList.objects.filter(is_digest=False).first()
        return {"mailing_list": newsletter.pk if newsletter else None}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        def route(step, view):
            name = f"subscriptions_edition_{step}"
            return path(f"<int:pk>/{step}/", self.admin_site.admin_view(view), name=name)

        return [
            route("preview", self.preview_view),
            route("test", require_POST(self.test_view)),
            route("send", require_POST(self.send_view)),
            *super().get_urls(),
        ]

    def _edition(self, request, pk, *, change=False):
        allowed = (
            self.has_change_permission(request) if change else self.has_view_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        return get_object_or_404(Edition, pk=pk)

    def preview_view(self, request, pk):
        """The email as subscribers will see it, in the browser."""
        edition = self._edition(request, pk)
        return HttpResponse(editions.render(edition, preview=True).html)

    def test_view(self, request, pk):
        edition = self._edition(request, pk, change=True)
        if not request.user.email:
            self.message_user(
                request, "Your account has no email address to send a test to.", messages.ERROR
            )
        else:
            editions.send_test(edition, request.user.email)
            self.message_user(
                request, f"A test is on its way to {request.user.email}.", messages.SUCCESS
            )
        return redirect(reverse("admin:subscriptions_edition_change", args=[pk]))

    def send_view(self, request, pk):
        edition = self._edition(request, pk, change=True)
        if tasks.start_sending(edition):
            self.message_user(
                request,
                f"“{edition.subject}” is being sent to {edition.mailing_list}.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                "This issue has been sent already: it is never sent twice.",
                messages.WARNING,
            )
        return redirect(reverse("admin:subscriptions_edition_change", args=[pk]))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        if object_id:
            edition = Edition.objects.filter(pk=object_id).first()
            if edition is not None:
                extra["edition"] = edition
                extra["edition_state"] = self.state(edition)
                extra["preview_url"] = edition.get_preview_url()
        return super().changeform_view(request, object_id, form_url, extra)
