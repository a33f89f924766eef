"""Changes staff and editors make to the registry. Each writes the audit log."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from yhdyspinta.accounts import permissions
from yhdyspinta.core import audit, tables
from yhdyspinta.core.tables import ImportRejected, RowError
from yhdyspinta.registry.models import Organisation

IMPORT_COLUMNS = [
    "kind",
    "name_fi",
    "name_sv",
    "name_en",
    "business_id",
    "area_code",
    "website",
    "contact_email",
]
BUSINESS_ID = re.compile(r"^\d{7}-\d$")


def _business_id_is_valid(value: str) -> bool:
    """Finnish business ID: seven digits, a hyphen and a modulo-11 check digit."""
    if not BUSINESS_ID.match(value):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2]
    remainder = sum(int(d) * w for d, w in zip(value[:7], weights, strict=True)) % 11
    if remainder == 1:
        return False
    check = 0 if remainder == 0 else 11 - remainder
    return check == int(value[-1])


@transaction.atomic
def create_organisation(*, actor: Any, values: dict[str, Any], source: str) -> Organisation:
    area = values.get("area")
    if not permissions.can_add_organisations(actor):
        raise PermissionDenied(
            _("Only the platform's staff and area coordinators add organisations.")
        )
    managed = permissions.managed_area_ids(actor)
    if managed is not None and (area is None or area.pk not in managed):
        raise ValidationError(_("You can add organisations only to the areas you coordinate."))
    if values.get("kind") in Organisation.CLASSIFIED_KINDS:
        raise ValidationError(
            _(
                "Municipalities, counties and regional councils come from the "
                "official classification."
            )
        )
    business_id = values.get("business_id") or ""
    if business_id and not _business_id_is_valid(business_id):
        raise ValidationError(
            _("“%(value)s” is not a valid business ID."), params={"value": business_id}
        )
    if area is not None:
        values.setdefault("region", area.region)
    org = Organisation(source=source, **values)
    org.name = values["name_fi"]
    org.full_clean()
    org.save()
    audit.record(obj=org, action="created", actor=actor)
    return org


@transaction.atomic
def update_organisation_details(
    *, actor: Any, organisation: Organisation, values: dict[str, Any]
) -> Organisation:
    if not permissions.can_edit_organisation(actor, organisation):
        raise PermissionDenied(
            _("Only the organisation's editors and coordinators may change its details.")
        )
    audit.update(organisation, values, actor=actor)
    return organisation


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    return tables.read_table(name, content, required=("kind", "name_fi"), allowed=IMPORT_COLUMNS)


@transaction.atomic
def import_organisations(*, actor: Any, name: str, content: bytes) -> list[Organisation]:
    """Validate every row first; save all of them or none. Rows are numbered as in the file."""
    rows = read_table(name, content)
    errors: list[RowError] = []
    valid_kinds = {k.value for k in Organisation.Kind if k not in Organisation.CLASSIFIED_KINDS}
    areas = {a.code: a for a in permissions.area_choices_for(actor)}
    all_area_codes = set(Organisation.objects.areas().values_list("code", flat=True))
    url_validator = URLValidator()
    seen: set[tuple[str, str]] = set()
    prepared: list[dict[str, Any]] = []
    for row in rows:
        number = row.line
        row_errors: list[RowError] = []
        kind = row.get("kind", "")
        if kind not in valid_kinds:
            row_errors.append(
                RowError(
                    number,
                    "kind",
                    _("Must be one of: %(kinds)s.") % {"kinds": ", ".join(sorted(valid_kinds))},
                )
            )
        if not row.get("name_fi"):
            row_errors.append(RowError(number, "name_fi", _("A Finnish name is required.")))
        business_id = row.get("business_id", "")
        if business_id and not _business_id_is_valid(business_id):
            row_errors.append(RowError(number, "business_id", _("Not a valid business ID.")))
        area = None
        area_code = row.get("area_code", "")
        if area_code:
            area = areas.get(area_code.zfill(2))
            if area is None:
                message = (
                    _("You do not coordinate this area.")
                    if area_code.zfill(2) in all_area_codes
                    else _("No area has this code.")
                )
                row_errors.append(RowError(number, "area_code", message))
        elif permissions.managed_area_ids(actor) is not None:
            row_errors.append(RowError(number, "area_code", _("An area code is required.")))
        if row.get("website"):
            try:
                url_validator(row["website"])
            except ValidationError:
                row_errors.append(RowError(number, "website", _("Not a valid web address.")))
        if row.get("contact_email"):
            try:
                validate_email(row["contact_email"])
            except ValidationError:
                row_errors.append(
                    RowError(number, "contact_email", _("Not a valid e-mail address."))
                )
        key = (kind, row.get("name_fi", "").casefold())
        if key in seen:
            row_errors.append(
                RowError(number, "name_fi", _("The same organisation is twice in the file."))
            )
        seen.add(key)
        if (
            not row_errors
            and Organisation.objects.filter(kind=kind, name_fi__iexact=row["name_fi"]).exists()
        ):
            row_errors.append(
                RowError(
                    number, "name_fi", _("An organisation of this kind and name already exists.")
                )
            )
        errors += row_errors
        prepared.append(
            {
                "kind": kind,
                "name_fi": row.get("name_fi", ""),
                "name_sv": row.get("name_sv", ""),
                "name_en": row.get("name_en", ""),
                "business_id": business_id,
                "area": area,
                "website": row.get("website", ""),
                "contact_email": row.get("contact_email", ""),
            }
        )
    if errors:
        raise ImportRejected(errors)
    if not prepared:
        raise ImportRejected([RowError(2, "", _("The file has no rows to import."))])
    return [
        create_organisation(actor=actor, values=values, source=Organisation.Source.IMPORT)
        for values in prepared
    ]
