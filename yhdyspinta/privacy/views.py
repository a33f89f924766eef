"""Personal data: a person's own data (page and JSON download), and erasure by staff.

The rules are in `privacy.py`; these views only read input, check who asks, and render.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from . import services as privacy

# Values the page shows as dates and times in the page's language (the JSON keeps ISO text).
_DATETIME_KEYS = {"generated_at", "joined", "last_login", "time", "sent_at", "confirmed_at"}
_DATE_KEYS = {"valid_from", "valid_until", "left_on", "submitted_on"}


def _readable(value):
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if not isinstance(value, dict):
        return value
    readable = {}
    for key, item in value.items():
        if key in _DATETIME_KEYS and isinstance(item, str):
            item = parse_datetime(item)
        elif key in _DATE_KEYS and isinstance(item, str):
            item = parse_date(item)
        elif key != "changes":
            item = _readable(item)
        readable[key] = item
    return readable


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    data = _readable(privacy.personal_data(user=request.user))
    return render(request, "privacy/my_data.html", {"data": data, "nav": "profile"})


@login_required
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = privacy.personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="yhdyspinta-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


class PersonForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The work e-mail address of the person to erase."),
    )


class EraseForm(forms.Form):
    """The confirmation under the preview: the address travels in a hidden field."""

    email = forms.EmailField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have checked the details above: erase this person for good."),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        # Beside the search form on the same page: ids of its own.
        kwargs.setdefault("auto_id", "erase_%s")
        super().__init__(*args, **kwargs)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def erase_person_view(request: HttpRequest) -> HttpResponse:
    """GET: the e-mail form, and with ?email= a preview of what would be erased.
    POST (with the confirmation): erase, and show what was done."""
    if not request.user.is_platform_admin:
        raise PermissionDenied
    context: dict = {}
    status = 200
    if request.method == "POST":
        confirm_form = EraseForm(request.POST)
        if confirm_form.is_valid():
            email = confirm_form.cleaned_data["email"]
            try:
                report = privacy.erase_person(actor=request.user, email=email)
            except ValidationError as error:
                confirm_form.add_error(None, error.messages)
            else:
                context.update(report=report, erased_email=email, search_form=PersonForm())
                return render(request, "privacy/erase.html", context)
        status = 400
        email = confirm_form.data.get("email", "")
        search_form = PersonForm({"email": email})
        context.update(search_form=search_form, confirm_form=confirm_form)
        if search_form.is_valid():
            context["preview"] = privacy.erasure_preview(search_form.cleaned_data["email"])
    elif "email" in request.GET:
        search_form = PersonForm(request.GET)
        context["search_form"] = search_form
        if search_form.is_valid():
            email = search_form.cleaned_data["email"]
            context["preview"] = privacy.erasure_preview(email)
            context["confirm_form"] = EraseForm(initial={"email": email})
        else:
            status = 400
    else:
        context["search_form"] = PersonForm()
    return render(request, "privacy/erase.html", context, status=status)
