"""The "Whom do I contact?" search: who answers for a theme in a municipality; vCards.

Contact details are non-public: both views need a signed-in user, and every person shown comes
from an area the user may read (permissions.readable_area_ids / can_read_area), checked here on
the server whatever the form says.
"""

from __future__ import annotations

from dataclasses import dataclass

import vobject
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from yhdyspinta.accounts import permissions
from yhdyspinta.accounts.models import User
from yhdyspinta.registry.models import Organisation

from . import selectors
from .forms import ContactSearchForm
from .models import Responsibility, Theme


@dataclass
class Side:
    """One side of a theme: the county's, the municipality's (or municipalities'), the others'."""

    kind: str
    label: str
    entries: list[Responsibility]


@dataclass
class ThemeResults:
    theme: Theme
    sides: list[Side]


@dataclass
class AreaResults:
    """The people found in one area's table, theme by theme."""

    area: Organisation
    municipality: Organisation | None
    themes: list[ThemeResults]

    @property
    def people_count(self) -> int:
        return sum(len(side.entries) for t in self.themes for side in t.sides)


def _area_results(
    area: Organisation, municipality: Organisation | None, results: list[selectors.ContactResult]
) -> AreaResults:
    """Label each result's sides; the others' side only when someone is named there."""
    themes = []
    for result in results:
        sides = [
            Side("county", _("County: %(name)s") % {"name": area.name}, result.county),
            Side(
                "municipality",
                _("Municipality: %(name)s") % {"name": municipality.name}
                if municipality is not None
                else _("Municipalities of the area"),
                result.municipality,
            ),
        ]
        if result.others:
            sides.append(Side("others", _("Regional council and other parties"), result.others))
        themes.append(ThemeResults(result.theme, sides))
    return AreaResults(area, municipality, themes)


def _own_municipality(user: User) -> Organisation | None:
    """The user's municipality, if they are a member of exactly one."""
    municipalities = {
        m.organisation
        for m in user.memberships.select_related("organisation")
        if m.organisation.kind == Organisation.Kind.MUNICIPALITY and m.organisation.area_id
    }
    return municipalities.pop() if len(municipalities) == 1 else None


def _themes_for(data: dict, area: Organisation) -> list[Theme]:
    """The themes searched for in an area's table: by keywords, else the chosen theme."""
    if data["q"]:
        return selectors.themes_matching(data["q"], area)
    theme = data["theme"]
    return [theme] if theme is not None and theme.area_id in (None, area.pk) else []


@login_required
@require_safe
def contact_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    readable = permissions.readable_area_ids(user)
    data = request.GET.copy()
    if "municipality" not in data:
        own = _own_municipality(user)
        if own is not None:
            data["municipality"] = str(own.pk)
    form = ContactSearchForm(data, readable_area_ids=readable)
    context: dict[str, object] = {"form": form, "nav": "contacts", "searched": False}
    if not form.is_valid() or not form.searched:
        return render(request, "responsibilities/search.html", context)

    cleaned = form.cleaned_data
    municipality: Organisation | None = cleaned["municipality"]
    groups: list[AreaResults] = []
    matched: list[Theme] = []
    context["searched"] = True
    if municipality is not None:
        area = municipality.area
        context["chosen_area"] = area
        if not permissions.can_read_area(user, area):
            # Not even the theme names of another area's table: only the message.
            context["not_readable"] = True
            return render(request, "responsibilities/search.html", context)
        matched = _themes_for(cleaned, area)
        if matched:
            results = selectors.whom_to_contact(themes=matched, municipality=municipality)
            groups.append(_area_results(area, municipality, results))
    else:
        # Every area the user may read that has someone named; results grouped by area.
        areas = Organisation.objects.areas().filter(
            pk__in=Responsibility.objects.current().values("area_id")
        )
        if readable is not None:
            areas = areas.filter(pk__in=readable)
        for area in areas.order_by("name"):
            themes = _themes_for(cleaned, area)
            matched += [t for t in themes if t not in matched]
            results = [
                r
                for r in selectors.whom_to_contact(themes=themes, area=area)
                if r.county or r.municipality or r.others
            ]
            if results:
                groups.append(_area_results(area, None, results))
        if not matched and cleaned["q"]:
            # No area has people yet: still tell whether the words match a national theme.
            matched = selectors.themes_matching(cleaned["q"])
        elif not matched:
            matched = [cleaned["theme"]]
        context["no_readable_areas"] = readable is not None and not readable
    context.update(
        groups=groups,
        matched=matched,
        people_count=sum(g.people_count for g in groups),
    )
    return render(request, "responsibilities/search.html", context)


@login_required
@require_safe
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    """One named person's work contact details as a vCard (3.0), for an address book."""
    entry = get_object_or_404(
        Responsibility.objects.with_people().select_related("area", "contact__organisation"),
        pk=pk,
    )
    if not permissions.can_read_area(request.user, entry.area):
        raise PermissionDenied
    if entry.status() == Responsibility.Status.VACANT:
        raise Http404(_("This responsibility is vacant."))
    contact = entry.contact
    card = vobject.vCard()
    card.add("fn").value = str(contact)
    card.add("n").value = vobject.vcard.Name(family=contact.last_name, given=contact.first_name)
    card.add("org").value = [contact.organisation.name, *([contact.unit] if contact.unit else [])]
    if contact.title:
        card.add("title").value = contact.title
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "work"
    if contact.phone:
        tel = card.add("tel")
        tel.value = contact.phone
        tel.type_param = "work"
    note = [
        _("Theme: %(theme)s (%(area)s)") % {"theme": entry.theme.name, "area": entry.area.name},
        _("Role: %(role)s") % {"role": entry.get_role_display()},
    ]
    if entry.mandate:
        note.append(_("Mandate: %(mandate)s") % {"mandate": entry.mandate})
    card.add("note").value = "\n".join(note)
    response = HttpResponse(card.serialize(), content_type="text/vcard; charset=utf-8")
    filename = f"{slugify(str(contact)) or 'contact'}.vcf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
