"""Action items: one item with its comment trail, and "our open actions" with its export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from yhdyspinta.accounts import permissions
from yhdyspinta.core import exports
from yhdyspinta.core.audit import history
from yhdyspinta.core.forms import add_form_errors
from yhdyspinta.registry.models import Organisation

from . import access, services
from .forms import ActionUpdateForm
from .models import ActionItem


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_for_user(request.user, pk)
    can_update = access.can_update_action(request.user, action)
    form = ActionUpdateForm(request.POST or None, initial={"status": action.status})
    status = 200
    if request.method == "POST":
        action = access.get_action_for_user(request.user, pk, update=True)
        if form.is_valid():
            try:
                services.update_action(
                    actor=request.user,
                    action=action,
                    status=form.cleaned_data["status"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The action item was saved."))
                return redirect(action)
        status = 400
    return render(
        request,
        "cooperation/action_detail.html",
        {
            "action": action,
            "source": action.source,
            "comments": action.comments.select_related("author"),
            "form": form if can_update else None,
            "overdue": action.is_overdue(),
            "history": history(action)[:50],
            "nav": "actions",
        },
        status=status,
    )


def _my_organisations(user) -> list[Organisation]:
    ids = permissions.organisation_ids(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@login_required
@require_safe
def my_actions(request: HttpRequest) -> HttpResponse:
    """Open items owned by me, or by one of my organisations, across negotiations and forums."""
    organisations = _my_organisations(request.user)
    chosen = request.GET.get("organisation", "")
    if chosen.isdigit() and any(o.pk == int(chosen) for o in organisations):
        scope = [o for o in organisations if o.pk == int(chosen)]
        person = None
    elif chosen == "me":
        scope, person = [], request.user
    else:
        scope, person = organisations, request.user
    items = list(services.open_actions(person=person, organisations=scope))
    today = timezone.localdate()
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return _export(items, export, today)
    return render(
        request,
        "cooperation/my_actions.html",
        {
            "items": items,
            "overdue": [i for i in items if i.is_overdue(today)],
            "organisations": organisations,
            "chosen": chosen,
            "today": today,
            "query": request.GET.urlencode(),
            "nav": "actions",
        },
    )


def _export(items: list[ActionItem], kind: str, today) -> HttpResponse:
    columns = [
        _("Action item"), _("Source"), _("Owner organisation"), _("Owner person"),
        _("Due date"), _("Status"), _("Overdue"),
    ]  # fmt: skip
    rows = [
        [
            item.title,
            str(item.source),
            item.owner_organisation.name,
            str(item.owner_person) if item.owner_person else "",
            item.due_on.isoformat() if item.due_on else "",
            item.get_status_display(),
            _("yes") if item.is_overdue(today) else _("no"),
        ]
        for item in items
    ]
    if kind == "csv":
        body, content_type = exports.to_csv(columns, rows), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx([exports.Sheet(title=_("Open actions"), columns=columns, rows=rows)])
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="open-actions-{today}.{kind}"'
    return response
