"""Changing goals, indicators, measurements and maturity assessments.

Every function checks the actor's permission, validates all of its input before it writes
anything (one transaction), and records the change in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yhdyspinta.core import audit, tables
from yhdyspinta.core.tables import ImportRejected, RowError
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities import selectors as division_of_work
from yhdyspinta.responsibilities.models import Theme

from . import access, sotkanet
from .models import YEARS, Goal, Indicator, MaturityAssessment, Measurement

FIRST_YEAR, LAST_YEAR = YEARS[0].limit_value, YEARS[1].limit_value
INDICATOR_FIELDS = (
    "name_fi",
    "name_sv",
    "name_en",
    "source",
    "unit",
    "direction",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "sotkanet_id",
)
GOAL_FIELDS = (
    "title_fi",
    "title_sv",
    "title_en",
    "description_fi",
    "description_sv",
    "description_en",
    "starts_year",
    "ends_year",
    "agreement",
)


def _deny_keeping() -> None:
    raise PermissionDenied(
        _("Only the county's editors and coordinators and the area's coordinators may do this.")
    )


def number(value: Any) -> Decimal | None:
    """A figure as typed ("12,5" or "12.5") or given; None when it is not a number."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        return None
    try:
        parsed = Decimal(str(value).strip().replace(",", ".").replace("\u2212", "-"))
    except InvalidOperation:
        return None
    # Ten digits before the point and four after are what the database keeps.
    return parsed if parsed.is_finite() and abs(parsed) < Decimal(10) ** 10 else None


def _year_message() -> str:
    return _("Give a year between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def year(value: Any) -> int | None:
    try:
        parsed = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return parsed if FIRST_YEAR <= parsed <= LAST_YEAR else None


def check_indicator(values: dict[str, Any]) -> dict[str, Any]:
    """The indicator's values, cleaned, or ValidationError naming each wrong field."""
    errors: dict[str, str] = {}
    cleaned = {key: values.get(key) for key in INDICATOR_FIELDS if key in values}
    if not str(values.get("name_fi") or "").strip():
        errors["name_fi"] = _("Name the indicator in Finnish.")
    if values.get("direction") not in Indicator.Direction.values:
        errors["direction"] = _("Say whether a higher or a lower value is better.")
    for field in ("baseline_value", "target_value"):
        cleaned[field] = number(values.get(field))
        if cleaned[field] is None:
            errors[field] = _("Give a number.")
    for field in ("baseline_year", "target_year"):
        cleaned[field] = year(values.get(field))
        if cleaned[field] is None:
            errors[field] = _year_message()
    baseline, target = cleaned["baseline_value"], cleaned["target_value"]
    if baseline is not None and target is not None and baseline == target:
        errors["target_value"] = _("The target must differ from the baseline.")
    first, last = cleaned["baseline_year"], cleaned["target_year"]
    if first is not None and last is not None and last <= first:
        errors["target_year"] = _("The target year must come after the baseline year.")
    sotkanet_id = values.get("sotkanet_id")
    if sotkanet_id in ("", None):
        cleaned["sotkanet_id"] = None
    else:
        try:
            cleaned["sotkanet_id"] = int(sotkanet_id)
            if cleaned["sotkanet_id"] < 1 or isinstance(sotkanet_id, bool):
                raise ValueError
        except (TypeError, ValueError):
            errors["sotkanet_id"] = _("A Sotkanet indicator is a positive whole number.")
    for text in ("name_fi", "name_sv", "name_en", "source", "unit"):
        cleaned[text] = str(values.get(text) or "").strip()
    measurements = []
    for position, measured in enumerate(values.get("measurements") or [], start=1):
        when, value = year(measured.get("year")), number(measured.get("value"))
        if when is None or value is None:
            errors["measurements"] = _("Measurement %(n)s needs a year and a number.") % {
                "n": position
            }
        elif first is not None and when < first:
            errors["measurements"] = _(
                "Measurement %(n)s is from %(year)s, before the baseline year %(baseline)s."
            ) % {"n": position, "year": when, "baseline": first}
        else:
            measurements.append((when, value, str(measured.get("source") or "").strip()))
    years = [m[0] for m in measurements]
    if len(years) != len(set(years)):
        errors["measurements"] = _("Give each year once.")
    if errors:
        raise ValidationError(errors)
    cleaned["measurements"] = measurements
    return cleaned


def _check_goal(
    area: Organisation, values: dict[str, Any], themes: Iterable[Theme], responsible
) -> None:
    errors: dict[str, str] = {}
    if not str(values.get("title_fi") or "").strip():
        errors["title_fi"] = _("Write the goal in Finnish.")
    first, last = year(values.get("starts_year")), year(values.get("ends_year"))
    if first is None:
        errors["starts_year"] = _year_message()
    if last is None:
        errors["ends_year"] = _year_message()
    elif first is not None and last < first:
        errors["ends_year"] = _("The period cannot end before it starts.")
    agreement = values.get("agreement")
    if agreement is not None and agreement.area_id != area.pk:
        errors["agreement"] = _("Choose an agreement of this area.")
    outsiders = [o.name for o in responsible if not division_of_work.is_party(area, o)]
    if outsiders:
        errors["responsible"] = _("Not a party of the area's division of work: %(names)s.") % {
            "names": ", ".join(outsiders)
        }
    own_themes = {t.pk for t in Theme.objects.for_area(area)}
    strange = [t.name for t in themes if t.pk not in own_themes]
    if strange:
        errors["themes"] = _("Not a theme of this area: %(names)s.") % {"names": ", ".join(strange)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_goal(
    *,
    actor,
    area: Organisation,
    values: dict[str, Any],
    themes: Iterable[Theme] = (),
    responsible: Iterable[Organisation] = (),
    indicators: list[dict[str, Any]] | None = None,
    goal: Goal | None = None,
) -> Goal:
    """Create a goal, or change it; `indicators`, when given, is the goal's whole list: an
    entry with an `id` changes that indicator, one without adds one, and the goal's other
    indicators are removed with their measurements."""
    if not access.can_keep_goals(actor, area):
        _deny_keeping()
    themes, responsible = list(themes), list(responsible)
    values = {key: values[key] for key in GOAL_FIELDS if key in values}
    if goal is not None:
        values = {
            **{key: getattr(goal, key) for key in GOAL_FIELDS if key not in values},
            **values,
        }
    _check_goal(area, values, themes, responsible)
    prepared = _prepare_indicators(goal, indicators) if indicators is not None else None
    values["starts_year"], values["ends_year"] = (
        int(values["starts_year"]),
        int(values["ends_year"]),
    )
    for key in ("title_sv", "title_en", "description_fi", "description_sv", "description_en"):
        values[key] = str(values.get(key) or "").strip()
    if goal is None:
        goal = Goal.objects.create(area=area, **values)
        audit.record(obj=goal, action="created", actor=actor)
    else:
        audit.update(goal, values, actor=actor)
    goal.themes.set(themes)
    goal.responsible.set(responsible)
    if prepared is not None:
        _save_indicators(actor, goal, prepared)
    return goal


def _prepare_indicators(goal: Goal | None, indicators: list[dict[str, Any]]) -> list:
    existing = {i.pk: i for i in goal.indicators.all()} if goal is not None else {}
    errors: dict[str, list[str]] = {}
    prepared = []
    for position, values in enumerate(indicators, start=1):
        pk = values.get("id")
        if pk is not None and pk not in existing:
            errors.setdefault("indicators", []).append(
                _("Indicator %(n)s: this goal has no indicator %(id)s.") % {"n": position, "id": pk}
            )
            continue
        try:
            prepared.append((existing.get(pk), check_indicator(values)))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault("indicators", []).extend(
                    _("Indicator %(n)s, %(field)s: %(message)s")
                    % {"n": position, "field": field, "message": message}
                    for message in messages
                )
    if errors:
        raise ValidationError(errors)
    return prepared


def _save_indicators(actor, goal: Goal, prepared: list) -> None:
    kept = set()
    for order, (indicator, values) in enumerate(prepared):
        measurements = values.pop("measurements")
        values["order"] = order
        if indicator is None:
            indicator = Indicator.objects.create(goal=goal, **values)
            audit.record(obj=indicator, action="created", actor=actor)
        else:
            audit.update(indicator, values, actor=actor)
        kept.add(indicator.pk)
        years = {when for when, _value, _source in measurements}
        indicator.measurements.exclude(year__in=years).delete()
        for when, value, source in measurements:
            Measurement.objects.update_or_create(
                indicator=indicator,
                year=when,
                defaults={"value": value, "source": source, "entered_by": _user(actor)},
            )
    for indicator in goal.indicators.exclude(pk__in=kept):
        audit.record(obj=indicator, action="deleted", actor=actor)
        indicator.delete()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def save_indicator(*, actor, goal: Goal, values: dict[str, Any], indicator=None) -> Indicator:
    """Add an indicator to a goal, or change one, without touching its measurements."""
    if not access.can_keep_goals(actor, goal.area):
        _deny_keeping()
    cleaned = check_indicator({**values, "measurements": []})
    cleaned.pop("measurements")
    if indicator is not None:
        first = cleaned["baseline_year"]
        if indicator.measurements.filter(year__lt=first).exists():
            raise ValidationError(
                {"baseline_year": _("There are measurements before this year; remove them first.")}
            )
        audit.update(indicator, cleaned, actor=actor)
        return indicator
    cleaned["order"] = goal.indicators.count()
    indicator = Indicator.objects.create(goal=goal, **cleaned)
    audit.record(obj=indicator, action="created", actor=actor)
    return indicator


@transaction.atomic
def record_measurement(
    *,
    actor,
    indicator: Indicator,
    year_: Any,
    value: Any,
    source: str = "",
    origin: str = Measurement.Origin.TYPED,
) -> Measurement:
    """Store the indicator's figure of a year, replacing the one stored for that year."""
    if not access.can_record_measurements(actor, indicator.goal):
        raise PermissionDenied(
            _("Only the goal's keepers and its responsible parties' editors may record figures.")
        )
    errors = _measurement_errors(indicator, year_, value)
    if errors:
        raise ValidationError(errors)
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator,
        year=year(year_),
        defaults={
            "value": number(value),
            "source": source.strip(),
            "origin": origin,
            "entered_by": _user(actor),
        },
    )
    audit.record(
        obj=indicator,
        action="measured",
        actor=actor,
        changes={str(measurement.year): [None, str(measurement.value)]},
    )
    return measurement


def _measurement_errors(indicator: Indicator, year_: Any, value: Any) -> dict[str, str]:
    errors = {}
    when = year(year_)
    if when is None:
        errors["year"] = _year_message()
    elif when < indicator.baseline_year:
        errors["year"] = _("The year is before the baseline year %(year)s.") % {
            "year": indicator.baseline_year
        }
    if number(value) is None:
        errors["value"] = _("Give a number.")
    return errors


@transaction.atomic
def delete_measurement(*, actor, measurement: Measurement) -> None:
    if not access.can_record_measurements(actor, measurement.indicator.goal):
        raise PermissionDenied(_("Only the goal's keepers may remove figures."))
    audit.record(
        obj=measurement.indicator,
        action="measurement removed",
        actor=actor,
        changes={str(measurement.year): [str(measurement.value), None]},
    )
    measurement.delete()


IMPORT_COLUMNS = ("indicator", "year", "value", "source")


@transaction.atomic
def import_measurements(*, actor, area: Organisation, name: str, content: bytes) -> int:
    """Measurements of the area's indicators from a CSV or XLSX file: an `indicator` column
    with the indicator's number (shown on the goal's page), `year`, `value` and optionally
    `source`. Every row is checked first; all are saved or none."""
    rows = tables.read_table(
        name, content, required=("indicator", "year", "value"), allowed=IMPORT_COLUMNS
    )
    indicators = {
        i.pk: i for i in Indicator.objects.filter(goal__area=area).select_related("goal__area")
    }
    errors: list[RowError] = []
    prepared = []
    seen: set[tuple[int, int]] = set()
    for row in rows:
        try:
            indicator = indicators.get(int(row["indicator"]))
        except ValueError:
            indicator = None
        if indicator is None:
            errors.append(
                RowError(row.line, "indicator", _("No indicator of this area has this number."))
            )
            continue
        if not access.can_record_measurements(actor, indicator.goal):
            errors.append(
                RowError(row.line, "indicator", _("You may not record this indicator's figures."))
            )
            continue
        row_errors = _measurement_errors(indicator, row["year"], row["value"])
        errors += [RowError(row.line, field, message) for field, message in row_errors.items()]
        if row_errors:
            continue
        key = (indicator.pk, year(row["year"]))
        if key in seen:
            errors.append(
                RowError(row.line, "year", _("This indicator's year is in the file twice."))
            )
            continue
        seen.add(key)
        prepared.append((indicator, row))
    if errors:
        raise ImportRejected(errors)
    for indicator, row in prepared:
        record_measurement(
            actor=actor,
            indicator=indicator,
            year_=row["year"],
            value=row["value"],
            source=row.get("source", ""),
            origin=Measurement.Origin.IMPORTED,
        )
    return len(prepared)


# --- Maturity ----------------------------------------------------------------------------


@transaction.atomic
def submit_assessment(
    *,
    actor,
    area: Organisation,
    organisation: Organisation,
    year_: Any,
    level: Any,
    justification: str,
) -> MaturityAssessment:
    """The organisation's place for its area on the ladder in a year (a second submission of
    the same year replaces the first)."""
    if organisation not in access.assessing_organisations(area):
        raise ValidationError(
            {"organisation": _("Only the county and the area's municipalities assess the area.")}
        )
    if not access.can_assess(actor, organisation):
        raise PermissionDenied(
            _("Only the organisation's own editors and coordinators submit its assessment.")
        )
    errors = {}
    when = year(year_)
    if when is None:
        errors["year"] = _year_message()
    try:
        level = int(level)
        if isinstance(level, bool) or not 1 <= level <= 6:
            raise ValueError
    except (TypeError, ValueError):
        errors["level"] = _("Choose a level from 1 to 6.")
    justification = (justification or "").strip()
    if not justification:
        errors["justification"] = _("Say briefly why.")
    elif len(justification) > 2000:
        errors["justification"] = _("At most 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    assessment, created = MaturityAssessment.objects.update_or_create(
        area=area,
        organisation=organisation,
        year=when,
        defaults={"level": level, "justification": justification, "submitted_by": _user(actor)},
    )
    audit.record(
        obj=assessment,
        action="created" if created else "changed",
        actor=actor,
        changes={"level": [None, level]},
    )
    return assessment


# --- Sotkanet ----------------------------------------------------------------------------


@dataclass
class Refreshed:
    indicators: int
    measurements: int


def refresh_from_sotkanet(
    *, area: Organisation, client=None, until: int | None = None
) -> Refreshed:
    """Fetch the figures of the area's Sotkanet-backed indicators, from each baseline year on.

    Everything is fetched and checked before anything is written: when Sotkanet is down or
    answers in another shape, `SotkanetError` is raised and the stored figures stay as they
    were. The figures are the area's own (its county, or Helsinki).
    """
    client = client or sotkanet.Client()
    indicators = list(
        Indicator.objects.filter(goal__area=area, sotkanet_id__isnull=False).select_related("goal")
    )
    if not indicators:
        return Refreshed(0, 0)
    region = sotkanet.region_id_of(area, client.regions())
    if region is None:
        raise sotkanet.SotkanetError(
            _("Sotkanet has no region with the code %(code)s.") % {"code": area.code}
        )
    until = until or timezone.localdate().year
    fetched = []
    for indicator in indicators:
        info = client.indicator(indicator.sotkanet_id)
        years = list(range(indicator.baseline_year, until + 1))
        points = [p for p in client.data(indicator.sotkanet_id, years) if p.region == region]
        fetched.append((indicator, info, points))
    count = 0
    with transaction.atomic():
        for indicator, info, points in fetched:
            source = _("THL Sotkanet, indicator %(id)s (CC BY 4.0)") % {"id": info.id}
            for point in points:
                Measurement.objects.update_or_create(
                    indicator=indicator,
                    year=point.year,
                    defaults={
                        "value": point.value,
                        "source": source,
                        "origin": Measurement.Origin.SOTKANET,
                        "entered_by": None,
                    },
                )
                count += 1
            audit.record(
                obj=indicator,
                action="fetched from Sotkanet",
                actor_label="Sotkanet",
                changes={"years": [None, sorted(p.year for p in points)]},
            )
    return Refreshed(len(fetched), count)
