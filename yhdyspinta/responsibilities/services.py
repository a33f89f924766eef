"""Every change to an area's division of work: checked, in a transaction, in the audit log.

The permission rules (accounts.permissions) are asked again here, so that no view or API
endpoint can change a column its user does not own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from yhdyspinta.accounts import permissions
from yhdyspinta.accounts.models import User
from yhdyspinta.core import audit
from yhdyspinta.registry.models import Organisation

from . import selectors
from .models import Contact, JoinedParty, Responsibility, Theme

ENTRY_FIELDS = ("theme", "party", "role", "mandate", "valid_from", "valid_until")
CONTACT_FIELDS = ("first_name", "last_name", "title", "unit", "email", "phone")


def check_column(actor: Any, area: Organisation, party: Organisation) -> None:
    if not selectors.is_party(area, party):
        raise ValidationError(
            _("%(party)s is not a party of this area's table.") % {"party": party}
        )
    if not permissions.can_edit_column(actor, party):
        raise PermissionDenied(_("You can change only your own organisation's column."))


def find_or_create_contact(
    *, actor: Any, organisation: Organisation, values: dict[str, Any]
) -> Contact:
    """The organisation's contact with this e-mail, its details brought up to date; or a new one.

    A person is one contact per organisation, however many themes they answer for, so that
    their details are changed (and erased) in one place.
    """
    values = {name: (values.get(name) or "").strip() for name in CONTACT_FIELDS}
    values["email"] = values["email"].lower()
    contact = None
    if values["email"]:
        contact = Contact.objects.filter(organisation=organisation, email=values["email"]).first()
    if contact is None:
        contact = Contact.objects.create(
            organisation=organisation, user=_account(values["email"]), **values
        )
        audit.record(obj=contact, action="created", actor=actor)
        return contact
    audit.update(contact, values, actor=actor)
    return contact


def _account(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first() if email else None


@transaction.atomic
def save_entry(
    *,
    actor: Any,
    area: Organisation,
    values: dict[str, Any],
    contact_values: dict[str, Any],
    entry: Responsibility | None = None,
) -> Responsibility:
    """Create or change an entry; the person's details are saved on their contact.

    Saving counts as confirming: the owner has just looked at the entry.
    """
    if entry is not None:
        # The column the entry is in now must be the actor's too, not only the new one.
        check_column(actor, area, entry.party)
    check_column(actor, area, values["party"])
    theme = values["theme"]
    if theme.area_id not in (None, area.pk):
        raise ValidationError(_("This theme belongs to another area."))
    contact = find_or_create_contact(
        actor=actor, organisation=values["party"], values=contact_values
    )
    now = timezone.now()
    new_values = {name: values.get(name) for name in ENTRY_FIELDS}
    new_values["contact"] = contact
    if entry is None:
        entry = Responsibility(area=area, confirmed_at=now, confirmed_by=_user(actor), **new_values)
        entry.full_clean()
        entry.save()
        audit.record(
            obj=entry,
            action="created",
            actor=actor,
            changes={name: [None, value] for name, value in _readable(new_values).items()},
        )
        return entry
    changes = audit.diff(entry, new_values)
    for name, value in new_values.items():
        setattr(entry, name, value)
    entry.confirmed_at = now
    entry.confirmed_by = _user(actor)
    entry.full_clean()
    entry.save()
    if changes:
        audit.record(obj=entry, action="changed", actor=actor, changes=changes)
    return entry


def _readable(values: dict[str, Any]) -> dict[str, Any]:
    """The values as the audit log keeps them: names for objects, ISO text for dates."""
    readable = {}
    for name, value in values.items():
        if value in ("", None):
            continue
        readable[name] = value if isinstance(value, str | int | bool) else str(value)
    return readable


def _user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def confirm(*, actor: Any, entry: Responsibility) -> Responsibility:
    """The owner says the entry is still right."""
    check_column(actor, entry.area, entry.party)
    entry.confirmed_at = timezone.now()
    entry.confirmed_by = _user(actor)
    entry.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    audit.record(obj=entry, action="confirmed", actor=actor)
    return entry


@transaction.atomic
def end(*, actor: Any, entry: Responsibility, on: date | None = None) -> Responsibility:
    """End an entry's validity (the person no longer answers for the theme): it shows vacant."""
    check_column(actor, entry.area, entry.party)
    on = on or timezone.localdate()
    if on < entry.valid_from:
        raise ValidationError(_("The end date cannot be before the start date."))
    audit.update(entry, {"valid_until": on}, actor=actor)
    return entry


@transaction.atomic
def delete(*, actor: Any, entry: Responsibility) -> None:
    """Remove an entry entered by mistake. (A person who leaves is ended, not deleted.)"""
    check_column(actor, entry.area, entry.party)
    audit.record(
        obj=entry,
        action="deleted",
        actor=actor,
        changes={"contact": [str(entry.contact) if entry.contact else None, None]},
    )
    entry.delete()


@transaction.atomic
def mark_left(*, actor: Any, contact: Contact, on: date | None = None) -> Contact:
    """A person left their organisation: every entry of theirs shows vacant from that day."""
    if not permissions.can_edit_column(actor, contact.organisation):
        raise PermissionDenied(_("You can change only your own organisation's people."))
    return record_left(actor=actor, contact=contact, on=on)


def record_left(*, actor: Any, contact: Contact, on: date | None = None) -> Contact:
    """The rule itself, for callers that checked their own permission (people.services: the
    area's coordinators manage the people of every organisation of the area)."""
    audit.update(contact, {"left_on": on or timezone.localdate()}, actor=actor)
    return contact


@transaction.atomic
def add_theme(
    *,
    actor: Any,
    area: Organisation,
    names: dict[str, str],
    keywords: dict[str, str] | None = None,
    parent: Theme | None = None,
) -> Theme:
    """An area's own theme or sub-theme (disability services, work ability support...)."""
    if not permissions.can_manage_area(actor, area):
        raise PermissionDenied(_("Only the area's coordinators can add themes."))
    if not (names.get("fi") or "").strip():
        raise ValidationError({"name_fi": _("A Finnish name is required.")})
    if parent is not None and (
        parent.parent_id is not None or parent.area_id not in (None, area.pk)
    ):
        raise ValidationError({"parent": _("Choose a main theme of this area.")})
    base = slugify(names.get("en") or names["fi"])[:50] or "theme"
    key, number = base, 2
    while (
        Theme.objects.filter(area=area, key=key).exists()
        or Theme.objects.filter(area__isnull=True, key=key).exists()
    ):
        key, number = f"{base}-{number}", number + 1
    last = Theme.objects.for_area(area).order_by("-order").first()
    theme = Theme(area=area, key=key, parent=parent, order=(last.order + 10) if last else 10)
    for lang in ("fi", "sv", "en"):
        setattr(theme, f"name_{lang}", (names.get(lang) or "").strip())
        setattr(theme, f"keywords_{lang}", ((keywords or {}).get(lang) or "").strip())
    theme.name = theme.name_fi
    theme.keywords = theme.keywords_fi
    theme.save()
    audit.record(
        obj=area,
        action="theme added",
        actor=actor,
        changes={"theme": [None, theme.name_fi]},
    )
    return theme


@transaction.atomic
def retire_theme(*, actor: Any, area: Organisation, theme: Theme) -> Theme:
    """Take an area's own theme out of use; its entries stay in the history."""
    if theme.area_id != area.pk or not permissions.can_manage_area(actor, area):
        raise PermissionDenied(_("Only the area's coordinators can change the area's themes."))
    audit.update(theme, {"is_active": False}, actor=actor)
    theme.subthemes.update(is_active=False)
    return theme


@transaction.atomic
def add_party(*, actor: Any, area: Organisation, organisation: Organisation) -> JoinedParty:
    """An organisation joins the area's table with a column of its own."""
    if not permissions.can_manage_area(actor, area):
        raise PermissionDenied(_("Only the area's coordinators can add parties."))
    if selectors.is_party(area, organisation):
        raise ValidationError(
            _("%(org)s is already a party of this table.") % {"org": organisation}
        )
    joined = JoinedParty.objects.create(area=area, organisation=organisation)
    audit.record(
        obj=area, action="party added", actor=actor, changes={"party": [None, str(organisation)]}
    )
    return joined
