"""Commenters' personal data: export or erase everything stored with one email address."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.text import slugify

from comments import privacy
from comments.admin.desk import can_moderate
from comments.admin.forms import PersonalDataForm
from comments.models import Comment

ERASING = {"anonymise": (privacy.anonymise, "anonymised"), "delete": (privacy.delete, "deleted")}


def personal_data_view(request, admin_site):
    """Find what is stored with an address; download it, anonymise it or delete it."""
    if not can_moderate(request):
        raise PermissionDenied
    form = PersonalDataForm(request.POST or request.GET or None)
    context = {
        **admin_site.each_context(request),
        "title": "Commenters' personal data",
        "opts": Comment._meta,
        "form": form,
        "can_delete": request.user.has_perm("comments.delete_comment"),
    }
    if form.is_valid():
        email = form.cleaned_data["email"]
        step = request.POST.get("step") if request.method == "POST" else None
        if step == "export":
            return _download(email, request)
        if step in ERASING:
            if not form.cleaned_data["confirm"]:
                form.add_error("confirm", "Tick this box to confirm the request.")
            elif step == "delete" and not context["can_delete"]:
                raise PermissionDenied
            else:
                erase, done = ERASING[step]
                count = erase(email)
                messages.success(
                    request,
                    f"{count} comment(s) by {email} {done}; their subscriptions and the "
                    "emails sent to them are forgotten.",
                )
                return redirect(f"{request.path}?{urlencode({'email': email})}")
        context["comments"] = privacy.comments_of(email)
        context["subscriptions"] = privacy.subscriptions_of(email)
        context["emails"] = privacy.emails_to(email)
    return TemplateResponse(request, "admin/comments/comment/personal_data.html", context)


def _download(email, request):
    data = json.dumps(privacy.export(email, request=request), indent=2)
    response = HttpResponse(data, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="comments-{slugify(email)}.json"'
    return response
