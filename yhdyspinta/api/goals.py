"""Shared goals, the maturity ladder and an area's situational picture in the API.

The same services and rules as the pages (`goals.access`, `goals.services`): the people of
an area read its goals; the county's editors and coordinators and the area's coordinators
write them; an organisation's own editors submit its maturity assessment. Statuses are
computed (`goals.status`) and returned, never accepted.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yhdyspinta.accounts import access as accounts_access
from yhdyspinta.accounts import permissions
from yhdyspinta.core.numbers import round_half_up
from yhdyspinta.goals import access, selectors, services
from yhdyspinta.goals.models import Goal
from yhdyspinta.goals.status import Status
from yhdyspinta.registry.models import Organisation
from yhdyspinta.situation import picture

from .cooperation import THROTTLES, CooperationViewSet, _named
from .responsibilities import AREA_CODE, _service_errors


def _figure(value) -> float | None:
    return None if value is None else float(value)


class YearValueSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class MeasurementSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False)
    source = serializers.CharField(required=False, allow_blank=True, max_length=200)


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="Give it to change an indicator.")
    name = serializers.CharField(max_length=300, help_text="The name in Finnish.")
    name_sv = serializers.CharField(max_length=300, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=50, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=["higher", "lower"])
    baseline = YearValueSerializer()
    target = YearValueSerializer()
    measurements = MeasurementSerializer(many=True, required=False)
    sotkanet_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    area = serializers.CharField(max_length=2, help_text="Area code (not changed by PATCH).")
    title_fi = serializers.CharField(max_length=300)
    title_sv = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description_fi = serializers.CharField(required=False, allow_blank=True)
    starts_year = serializers.IntegerField(min_value=2000, max_value=2100)
    ends_year = serializers.IntegerField(min_value=2000, max_value=2100)
    agreement = serializers.IntegerField(required=False, allow_null=True)
    themes = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    responsible = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        help_text="Official codes of the responsible parties.",
    )
    indicators = IndicatorSerializer(many=True, required=False)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)


def goal_data(view: selectors.GoalView) -> dict[str, Any]:
    goal = view.goal
    return {
        "id": goal.pk,
        "area": goal.area.code,
        "title_fi": goal.title_fi,
        "title_sv": goal.title_sv or "",
        "title_en": goal.title_en or "",
        "description_fi": goal.description_fi or "",
        "starts_year": goal.starts_year,
        "ends_year": goal.ends_year,
        "agreement": goal.agreement_id,
        "themes": [t.key for t in goal.themes.all()],
        "responsible": sorted(o.code for o in goal.responsible.all() if o.code),
        "status": view.status.value,
        "indicators": [
            {
                "id": i.indicator.pk,
                "name": i.indicator.name_fi,
                "name_sv": i.indicator.name_sv or "",
                "name_en": i.indicator.name_en or "",
                "source": i.indicator.source,
                "unit": i.indicator.unit,
                "direction": i.indicator.direction,
                "baseline": {
                    "value": _figure(i.indicator.baseline_value),
                    "year": i.indicator.baseline_year,
                },
                "target": {
                    "value": _figure(i.indicator.target_value),
                    "year": i.indicator.target_year,
                },
                "measurements": [
                    {"year": m.year, "value": _figure(m.value), "source": m.source}
                    for m in i.measurements
                ],
                "sotkanet_id": i.indicator.sotkanet_id,
                "status": i.status.value,
            }
            for i in view.indicators
        ],
    }


def _indicator_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {
        "name_fi": data["name"],
        "name_sv": data.get("name_sv", ""),
        "name_en": data.get("name_en", ""),
        "source": data.get("source", ""),
        "unit": data.get("unit", ""),
        "direction": data["direction"],
        "baseline_value": data["baseline"]["value"],
        "baseline_year": data["baseline"]["year"],
        "target_value": data["target"]["value"],
        "target_year": data["target"]["year"],
        "sotkanet_id": data.get("sotkanet_id"),
        "measurements": data.get("measurements", []),
    }
    if "id" in data:
        values["id"] = data["id"]
    return values


def _references(area: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    """The body's codes turned into the objects the service takes; unknown ones are a 400."""
    from yhdyspinta.responsibilities.models import Theme

    found: dict[str, Any] = {}
    if "themes" in data:
        themes = {t.key: t for t in Theme.objects.for_area(area)}
        unknown = [key for key in data["themes"] if key not in themes]
        if unknown:
            raise ValidationError({"themes": [f"Not a theme of this area: {', '.join(unknown)}."]})
        found["themes"] = [themes[key] for key in data["themes"]]
    if "responsible" in data:
        parties = {
            o.code: o
            for o in Organisation.objects.filter(code__in=data["responsible"]).exclude(code="")
            if o.code
        }
        unknown = [code for code in data["responsible"] if code not in parties]
        if unknown:
            raise ValidationError(
                {"responsible": [f"No organisation has the code {', '.join(unknown)}."]}
            )
        found["responsible"] = [parties[code] for code in data["responsible"]]
    if "agreement" in data:
        agreement = None
        if data["agreement"] is not None:
            agreement = area.agreements.filter(pk=data["agreement"]).first()
            if agreement is None:
                raise ValidationError({"agreement": ["This area has no such agreement."]})
        found["agreement"] = agreement
    return found


@extend_schema_view(
    list=extend_schema(
        summary="Shared goals of the areas the caller reads, with computed statuses",
        parameters=[OpenApiParameter("area", OpenApiTypes.STR, description="Area code.")],
    ),
    retrieve=extend_schema(summary="One goal with its indicators and their statuses"),
    create=extend_schema(summary="Add a goal (the county's editors and the area's coordinators)"),
    partial_update=extend_schema(
        summary="Change a goal; `indicators`, when given, is its whole list (an `id` keeps one)"
    ),
)
class GoalViewSet(CooperationViewSet):
    serializer_class = GoalSerializer

    def get_queryset(self):
        goals = selectors.goals_with_figures()
        areas = permissions.readable_area_ids(self.request.user)
        if areas is not None:
            goals = goals.filter(area_id__in=areas)
        code = self.request.query_params.get("area")
        if code:
            goals = goals.filter(area__code=code)
        return goals.order_by("area__code", "pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([goal_data(selectors.goal_view(g)) for g in page])

    def retrieve(self, request, *args, **kwargs):
        goal = self._goal(kwargs["pk"])
        return Response(goal_data(selectors.goal_view(goal)))

    def _goal(self, pk) -> Goal:
        with _service_errors():
            access.get_goal_for_user(self.request.user, int(pk))
        return selectors.goals_with_figures().get(pk=pk)

    def _save(self, request: Request, goal: Goal | None) -> Response:
        serializer = GoalSerializer(data=request.data, partial=goal is not None)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if goal is None:
            area = _named("area", lambda: accounts_access.get_area(data["area"]))
        else:
            area = goal.area
        if not access.can_keep_goals(request.user, area):
            raise PermissionDenied(
                "Only the county's editors and coordinators and the area's coordinators may "
                "keep its goals."
            )
        values = {
            key: data[key]
            for key in ("title_fi", "title_sv", "title_en", "description_fi")
            if key in data
        }
        values.update({key: data[key] for key in ("starts_year", "ends_year") if key in data})
        references = _references(area, data)
        if "agreement" in references:
            values["agreement"] = references.pop("agreement")
        if goal is not None:
            references.setdefault("themes", list(goal.themes.all()))
            references.setdefault("responsible", list(goal.responsible.all()))
        indicators = (
            [_indicator_values(i) for i in data["indicators"]] if "indicators" in data else None
        )
        with _service_errors():
            saved = services.save_goal(
                actor=request.user,
                area=area,
                goal=goal,
                values=values,
                indicators=indicators,
                **references,
            )
        view = selectors.goal_view(selectors.goals_with_figures().get(pk=saved.pk))
        return Response(goal_data(view), status=201 if goal is None else 200)

    def create(self, request, *args, **kwargs):
        return self._save(request, None)

    def partial_update(self, request, *args, **kwargs):
        with _service_errors():
            goal = access.get_goal_for_user(request.user, int(kwargs["pk"]), edit=True)
        return self._save(request, goal)


# --- Maturity ---------------------------------------------------------------------------


class AssessmentSerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=10, help_text="Its official code.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    level = serializers.IntegerField(min_value=1, max_value=6)
    justification = serializers.CharField(max_length=2000)


class MaturitySerializer(serializers.Serializer):
    area = serializers.CharField()
    year = serializers.IntegerField()
    municipalities = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='Municipalities per level: {"1": n, ..., "6": n}.',
    )
    county = serializers.IntegerField(allow_null=True, help_text="The county's level.")
    assessments = AssessmentSerializer(many=True)


def maturity_data(maturity: selectors.Maturity) -> dict[str, Any]:
    return {
        "area": maturity.area.code,
        "year": maturity.year,
        "municipalities": {str(level): n for level, n in maturity.municipalities.items()},
        "county": maturity.county.level if maturity.county else None,
        "assessments": [
            {
                "organisation": a.organisation.code,
                "year": a.year,
                "level": a.level,
                "justification": a.justification,
            }
            for a in maturity.assessments
        ],
    }


YEAR = OpenApiParameter(
    "year", OpenApiTypes.INT, required=False, description="The year (default: this year)."
)


class AreaMaturityView(APIView):
    throttle_classes = THROTTLES

    def _area(self, request, code):
        with _service_errors():
            return accounts_access.get_area_for_user(request.user, code)

    @extend_schema(
        summary="An area's maturity assessments of a year, with the distribution",
        parameters=[AREA_CODE, YEAR],
        responses=MaturitySerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        area = self._area(request, code)
        field = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
        raw = request.query_params.get("year")
        try:
            year = field.run_validation(raw) if raw is not None else None
        except serializers.ValidationError as exc:
            raise ValidationError({"year": exc.detail}) from exc
        return Response(maturity_data(selectors.maturity(area, year or timezone.localdate().year)))

    @extend_schema(
        summary="Submit your organisation's assessment (its own editors and coordinators)",
        parameters=[AREA_CODE],
        request=AssessmentSerializer,
        responses={201: MaturitySerializer},
    )
    def post(self, request: Request, code: str) -> Response:
        area = self._area(request, code)
        serializer = AssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = Organisation.objects.filter(code=data["organisation"]).exclude(
            kind=Organisation.Kind.REGIONAL_COUNCIL
        )
        organisation = organisation.filter(
            pk__in=[o.pk for o in access.assessing_organisations(area)]
        ).first()
        if organisation is None:
            raise ValidationError(
                {"organisation": ["Only the county and the area's municipalities assess the area."]}
            )
        with _service_errors():
            services.submit_assessment(
                actor=request.user,
                area=area,
                organisation=organisation,
                year_=data["year"],
                level=data["level"],
                justification=data["justification"],
            )
        return Response(maturity_data(selectors.maturity(area, data["year"])), status=201)


# --- The situational picture ------------------------------------------------------------


def _one_decimal(value) -> float | None:
    return None if value is None else float(round_half_up(value, 1))


def _shares(shares) -> dict[str, Any] | None:
    if shares is None:
        return None
    if shares.suppressed:
        return {"withheld": True}
    return {
        "withheld": False,
        "n": shares.n,
        "good_percent": _one_decimal(shares.good),
        "poor_percent": _one_decimal(shares.poor),
        "mean": _one_decimal(shares.mean),
    }


def _cell(cell) -> dict[str, Any] | None:
    if cell is None:
        return None
    if cell.suppressed:
        return {"withheld": True}
    return {"withheld": False, "n": cell.n, "mean": _one_decimal(cell.mean)}


def picture_data(p: picture.AreaPicture) -> dict[str, Any]:
    s = p.survey
    gap = p.perception_gap
    coverage = p.responsibilities.coverage
    return {
        "area": p.area.code,
        "on": p.on.isoformat(),
        "survey": {
            "wave": s.wave.pk if s.wave else None,
            "wave_name": s.wave.name if s.wave else None,
            "headline": _shares(s.area),
            "headline_all": _shares(s.everyone),
            "trend": [{"wave": w.name, "good_percent": _shares(shares)} for w, shares in s.trend],
            "items": {q.key: _cell(area) for q, area, _ in s.items},
        },
        "perception_gap": None
        if gap is None
        else {
            "year": gap.year,
            "items": [
                {
                    "key": row.key,
                    "municipal": _one_decimal(row.municipal),
                    "county": _one_decimal(row.county),
                    "difference": _one_decimal(row.difference),
                }
                for row in gap.rows
            ],
        },
        "responsibilities": {
            "county_covered": coverage.county_covered,
            "county_total": coverage.county_total,
            "municipal_covered": coverage.municipal_covered,
            "municipal_total": coverage.municipal_cells,
            "vacant": len(coverage.vacant),
            "survey_items": {item.key: _cell(item.area) for item in p.responsibilities.items},
        },
        "duties": {
            "applies": p.duties_apply,
            "rows": [
                {
                    "duty": duty_row["label"],
                    "period": duty_row["period"],
                    "met": duty_row["met"],
                    "municipalities": duty_row["total"],
                    "open_near_the_end": duty_row["due_soon"],
                }
                for duty_row in p.cooperation.summary()
            ]
            if p.duties_apply
            else [],
        },
        "actions": {
            "open": p.cooperation.open_actions,
            "overdue": p.cooperation.overdue_actions,
        },
        "goals": {
            "counts": p.goal_counts,
            "items": [
                {"id": g.goal.pk, "title": g.goal.title, "status": g.status.value} for g in p.goals
            ],
        },
        "maturity": maturity_data(p.maturity) if p.maturity else None,
        "agreement": None
        if p.cooperation.agreement is None
        else {"id": p.cooperation.agreement.pk, "status": p.cooperation.agreement.status},
    }


class AreaPictureView(APIView):
    throttle_classes = THROTTLES

    @extend_schema(
        summary="An area's situational picture: every block of its page as JSON",
        parameters=[AREA_CODE],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, code: str) -> Response:
        with _service_errors():
            area = accounts_access.get_area_for_user(request.user, code)
        return Response(picture_data(picture.area_picture(area)))
