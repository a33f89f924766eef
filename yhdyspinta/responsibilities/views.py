"""An area's responsibility table: the matrix and list, entries, themes and parties.

Every view finds the area through `area_for_user`, so a forgotten check is a 403, not a leak;
every change goes through `services`, which checks the column's owner again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yhdyspinta.accounts import access, permissions
from yhdyspinta.core import audit
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.registry.models import Organisation

from . import selectors, services
from .forms import EndForm, EntryForm, LeftForm, PartyForm, ThemeForm
from .models import Contact, Responsibility, Theme


def editable_parties(
    request: HttpRequest, area: Organisation, parties: list[Organisation] | None = None
) -> list[Organisation]:
    """The columns of the area's table that the user may change."""
    columns = selectors.parties(area) if parties is None else parties
    return [p for p in columns if permissions.can_edit_column(request.user, p)]


def entry_for_user(request: HttpRequest, pk: int) -> Responsibility:
    entry = get_object_or_404(
        Responsibility.objects.select_related("area", "party", "theme", "contact"), pk=pk
    )
    if not permissions.can_read_area(request.user, entry.area):
        raise PermissionDenied
    return entry


def _matrix_url(area: Organisation, anchor: str = "") -> str:
    url = reverse("responsibilities:matrix", args=[area.code])
    return f"{url}#{anchor}" if anchor else url


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _area_history(area: Organisation) -> list[AuditEntry]:
    """The latest changes to the area's table: its entries, and themes and parties added."""
    entry_ids = [
        str(pk) for pk in Responsibility.objects.filter(area=area).values_list("pk", flat=True)
    ]
    types = ContentType.objects.get_for_models(Responsibility, Organisation)
    return list(
        AuditEntry.objects.filter(
            Q(content_type=types[Responsibility], object_id__in=entry_ids)
            | Q(
                content_type=types[Organisation],
                object_id=str(area.pk),
                action__in=["theme added", "party added", "imported"],
            )
        ).select_related("actor")[:15]
    )


@login_required
@require_safe
def matrix(request: HttpRequest, code: str) -> HttpResponse:
    area = access.get_area_for_user(request.user, code)
    table = selectors.responsibility_matrix(area)
    editable = editable_parties(request, area, table.parties)
    view = "list" if request.GET.get("view") == "list" else "matrix"
    # A municipality's people mostly need the county's column beside their own.
    shown = table.parties
    party_filter = request.GET.get("party", "")
    if party_filter.isdigit():
        chosen = [p for p in table.parties if p.pk == int(party_filter)]
        if chosen:
            shown = [table.parties[0], *[p for p in chosen if p.pk != table.parties[0].pk]]
    shown_ids = {p.pk for p in shown}
    rows = [
        (row.theme, [cell for cell in row.cells if cell.party.pk in shown_ids])
        for row in table.rows
    ]
    entries = [e for e in table.entries() if e.party_id in shown_ids]
    return render(
        request,
        "responsibilities/matrix.html",
        {
            "area": area,
            "table": table,
            "parties": shown,
            "rows": rows,
            "entries": entries,
            "view": view,
            "party_filter": party_filter,
            "editable_ids": {p.pk for p in editable},
            "can_edit": bool(editable),
            "can_manage": permissions.can_manage_area(request.user, area),
            "history": _area_history(area),
            "nav": "responsibilities",
        },
    )


def _entry_form(request: HttpRequest, area: Organisation, editable, **kwargs) -> EntryForm:
    return EntryForm(
        request.POST or None,
        themes=selectors.themes(area),
        parties=editable,
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, code: str) -> HttpResponse:
    area = access.get_area_for_user(request.user, code)
    editable = editable_parties(request, area)
    if not editable:
        raise PermissionDenied
    initial = {"valid_from": None, "role": Responsibility.Role.RESPONSIBLE}
    for name in ("theme", "party"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    if len(editable) == 1:
        initial["party"] = editable[0].pk
    initial["valid_from"] = timezone.localdate()
    form = _entry_form(request, area, editable, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.save_entry(
                actor=request.user,
                area=area,
                values=form.entry_values(),
                contact_values=form.contact_values(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The responsible person was saved."))
            return redirect(_matrix_url(area, f"theme-{entry.theme_id}"))
    return render(
        request,
        "responsibilities/entry_form.html",
        {"area": area, "form": form, "entry": None, "nav": "responsibilities"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_for_user(request, pk)
    area = entry.area
    if not permissions.can_edit_column(request.user, entry.party):
        raise PermissionDenied
    editable = editable_parties(request, area)
    contact = entry.contact
    initial = {
        "theme": entry.theme_id,
        "party": entry.party_id,
        "role": entry.role,
        "mandate": entry.mandate,
        "valid_from": entry.valid_from,
        "valid_until": entry.valid_until,
    }
    if contact is not None:
        initial.update(
            {
                name: getattr(contact, name)
                for name in ("first_name", "last_name", "title", "unit", "email", "phone")
            }
        )
    form = _entry_form(request, area, editable, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_entry(
                actor=request.user,
                area=area,
                values=form.entry_values(),
                contact_values=form.contact_values(),
                entry=Responsibility.objects.get(pk=pk),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The responsible person was saved."))
            return redirect(_matrix_url(area, f"theme-{form.cleaned_data['theme'].pk}"))
    return render(
        request,
        "responsibilities/entry_form.html",
        {
            "area": area,
            "form": form,
            "entry": entry,
            "history": audit.history(entry)[:20],
            "nav": "responsibilities",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def entry_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_for_user(request, pk)
    if not permissions.can_edit_column(request.user, entry.party):
        raise PermissionDenied
    services.confirm(actor=request.user, entry=entry)
    messages.success(
        request,
        _("Confirmed: %(theme)s, %(party)s.") % {"theme": entry.theme, "party": entry.party},
    )
    return redirect(_back(request, _matrix_url(entry.area, f"theme-{entry.theme_id}")))


@login_required
@require_http_methods(["GET", "POST"])
def entry_end(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_for_user(request, pk)
    if not permissions.can_edit_column(request.user, entry.party):
        raise PermissionDenied
    form = EndForm(request.POST or None, initial={"valid_until": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end(actor=request.user, entry=entry, on=form.cleaned_data["valid_until"])
        except ValidationError as exc:
            form.add_error("valid_until", exc)
        else:
            messages.success(request, _("The responsibility was ended; it shows as vacant."))
            return redirect(_matrix_url(entry.area, f"theme-{entry.theme_id}"))
    return render(
        request,
        "responsibilities/entry_end.html",
        {"area": entry.area, "entry": entry, "form": form, "nav": "responsibilities"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = entry_for_user(request, pk)
    if not permissions.can_edit_column(request.user, entry.party):
        raise PermissionDenied
    if request.method == "POST":
        area, theme_id = entry.area, entry.theme_id
        services.delete(actor=request.user, entry=entry)
        messages.success(request, _("The entry was deleted."))
        return redirect(_matrix_url(area, f"theme-{theme_id}"))
    return render(
        request,
        "responsibilities/entry_delete.html",
        {"area": entry.area, "entry": entry, "nav": "responsibilities"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, code: str) -> HttpResponse:
    area = access.get_area_for_user(request.user, code)
    can_manage = permissions.can_manage_area(request.user, area)
    all_themes = selectors.themes(area)
    form = ThemeForm(
        request.POST or None, main_themes=[t for t in all_themes if t.parent_id is None]
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                theme = services.add_theme(
                    actor=request.user,
                    area=area,
                    names={lang: data[f"name_{lang}"] for lang in ("fi", "sv", "en")},
                    keywords={lang: data[f"keywords_{lang}"] for lang in ("fi", "sv", "en")},
                    parent=data["parent"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The theme %(name)s was added.") % {"name": theme})
                return redirect("responsibilities:themes", code=area.code)
    return render(
        request,
        "responsibilities/themes.html",
        {
            "area": area,
            "themes": all_themes,
            "form": form if can_manage else None,
            "nav": "responsibilities",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_party(request: HttpRequest, code: str) -> HttpResponse:
    area = access.get_area_for_user(request.user, code)
    if not permissions.can_manage_area(request.user, area):
        raise PermissionDenied
    current = {p.pk for p in selectors.parties(area)}
    candidates = (
        Organisation.objects.active()
        .exclude(kind__in=Organisation.AREA_KINDS)
        .exclude(pk__in=current)
        .filter(Q(area=area) | Q(area__isnull=True))
        .exclude(kind=Organisation.Kind.MUNICIPALITY)
        .order_by("name")
    )
    form = PartyForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_party(
                actor=request.user, area=area, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The organisation now has a column in the table."))
            return redirect(_matrix_url(area))
    return render(
        request,
        "responsibilities/party_form.html",
        {"area": area, "form": form, "nav": "responsibilities"},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The areas whose tables the user may read; with one, straight to it."""
    readable = permissions.readable_area_ids(request.user)
    areas = Organisation.objects.areas().active().order_by("name")
    if readable is not None:
        areas = areas.filter(pk__in=readable)
    areas = list(areas)
    if len(areas) == 1 and not request.user.is_platform_admin:
        return redirect("responsibilities:matrix", code=areas[0].code)
    counts = selectors.entry_counts([a.pk for a in areas])
    rows = [{"area": a, **counts.get(a.pk, {"current": 0, "vacant": 0})} for a in areas]
    return render(
        request,
        "responsibilities/index.html",
        {"rows": rows, "nav": "responsibilities"},
    )


@login_required
@require_POST
def theme_retire(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    area = access.get_area_for_user(request.user, code)
    theme = get_object_or_404(Theme, pk=pk, area=area)
    services.retire_theme(actor=request.user, area=area, theme=theme)
    messages.success(request, _("The theme %(name)s is no longer in use.") % {"name": theme})
    return redirect("responsibilities:themes", code=area.code)


@login_required
@require_http_methods(["GET", "POST"])
def contact_left(request: HttpRequest, pk: int) -> HttpResponse:
    """A person left their organisation: all their entries, in every theme, turn vacant."""
    contact = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk)
    if not permissions.can_edit_column(request.user, contact.organisation):
        raise PermissionDenied
    entries = list(contact.responsibilities.select_related("theme", "area"))
    form = LeftForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.mark_left(actor=request.user, contact=contact, on=form.cleaned_data["left_on"])
        messages.success(request, _("%(name)s’s entries now show as vacant.") % {"name": contact})
        area = entries[0].area if entries else selectors.area_of(contact.organisation)
        return redirect(_matrix_url(area) if area else reverse("responsibilities:index"))
    return render(
        request,
        "responsibilities/contact_left.html",
        {"contact": contact, "entries": entries, "form": form, "nav": "responsibilities"},
        status=400 if form.errors else 200,
    )
