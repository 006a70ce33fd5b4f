"""Each moderator's own page: how they want to hear about comments waiting for review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from comments.admin.desk import can_moderate
from comments.admin.forms import ModeratorSettingsForm
from comments.models import Comment, ModeratorSettings


def alerts_view(request, admin_site):
    if not can_moderate(request):
        raise PermissionDenied
    current, _ = ModeratorSettings.objects.get_or_create(user=request.user)
    bound = request.method == "POST"
    form = ModeratorSettingsForm(request.POST if bound else None, instance=current)
    if bound and form.is_valid():
        form.save()
        messages.info(request, f"Saved: {current.get_alerts_display().lower()}.")
        return redirect("admin:comments_moderator_settings")
    context = {
        **admin_site.each_context(request),
        "title": "How you hear about comments",
        "opts": Comment._meta,
        "form": form,
        "has_email": bool(request.user.email),
    }
    return TemplateResponse(request, "admin/comments/comment/my_alerts.html", context)
