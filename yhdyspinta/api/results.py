"""A wave's results in the API: the same numbers as the pages, from the same cached selector,
with the same small-group protection. The response shape is a public contract."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yhdyspinta.accounts.access import IsPlatformAdmin
from yhdyspinta.core.numbers import round_half_up
from yhdyspinta.registry.models import Organisation
from yhdyspinta.results.selectors import GROUP_BY, Cell, ItemTable, cached_item_table
from yhdyspinta.surveys.models import Question, Wave


class ResultsQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=GROUP_BY, default="area")
    position = serializers.CharField(required=False, allow_blank=True, default="")
    organisation_type = serializers.ChoiceField(
        choices=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.JOINT_AUTHORITY],
        required=False,
        allow_blank=True,
        default="",
    )

    def __init__(self, *args, positions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.positions = positions

    def validate_position(self, value: str) -> str:
        if value and value not in self.positions:
            raise serializers.ValidationError(
                f"Unknown position {value!r}; one of: {', '.join(self.positions)}."
            )
        return value


class ResultCellSerializer(serializers.Serializer):
    mean = serializers.FloatField(
        allow_null=True,
        help_text="Mean of the 1–5 answers at the published precision (one decimal, half up); "
        "null when withheld.",
    )
    n = serializers.IntegerField(
        allow_null=True, help_text="Substantive answers (1–5); null when withheld."
    )
    suppressed = serializers.BooleanField(
        help_text="Withheld: fewer respondents than the threshold, or derivable from others."
    )


class ResultItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class ResultGroupSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Area code (90 Helsinki), position or type.")
    name = serializers.CharField()
    n = serializers.IntegerField(allow_null=True, help_text="Respondents; null when withheld.")
    suppressed = serializers.BooleanField()
    items = serializers.DictField(child=ResultCellSerializer(), help_text="By item key.")


class ResultAllSerializer(serializers.Serializer):
    n = serializers.IntegerField(allow_null=True)
    items = serializers.DictField(child=ResultCellSerializer())


class ResultRangeSerializer(serializers.Serializer):
    min = serializers.FloatField()
    max = serializers.FloatField()


class ResultsSerializer(serializers.Serializer):
    wave = serializers.IntegerField()
    threshold = serializers.IntegerField(help_text="Smallest group whose figures are shown.")
    items = ResultItemSerializer(many=True)
    groups = ResultGroupSerializer(many=True)
    all = ResultAllSerializer()
    range = serializers.DictField(
        child=ResultRangeSerializer(allow_null=True),
        help_text="Lowest and highest shown group mean per item; withheld means left out.",
    )


def _cell(cell: Cell) -> dict:
    if cell.suppressed:
        return {"mean": None, "n": None, "suppressed": True}
    return {"mean": _published(cell.mean), "n": cell.n, "suppressed": False}


def _published(value: float | None) -> float | None:
    """One decimal, half up, as the published tables: unrounded means would let sums be
    worked out exactly. (Staff who need the answers use the raw export.)"""
    return None if value is None else float(round_half_up(value, 1))


def results_data(table: ItemTable) -> dict:
    return {
        "wave": table.wave.pk,
        "threshold": table.threshold,
        "items": [{"key": item.key, "label": item.text} for item in table.items],
        "groups": [
            {
                "code": group.code,
                "name": group.name,
                "n": None if group.suppressed else group.n,
                "suppressed": group.suppressed,
                "items": {key: _cell(cell) for key, cell in group.cells.items()},
            }
            for group in table.groups
        ],
        "all": {
            "n": None if table.all.suppressed else table.all.n,
            "items": {key: _cell(cell) for key, cell in table.all.cells.items()},
        },
        "range": {
            key: None
            if bounds is None
            else {"min": _published(bounds[0]), "max": _published(bounds[1])}
            for key, bounds in table.range.items()
        },
    }


class WaveResultsView(APIView):
    permission_classes = [IsPlatformAdmin]

    @extend_schema(
        summary="A wave's results: the mean of each rating item per group",
        description=(
            "The per-area table of the results pages as data. Means use only the answers 1–5 "
            '("can\'t say" is not a value) and are unrounded; `n` counts those answers. Any '
            "figure resting on fewer respondents than `threshold`, or one that could be worked "
            'out from a total and the figures shown, is withheld: `"mean": null, "n": null, '
            '"suppressed": true`. A withheld group also has `"n": null`. `range` is the lowest '
            "and highest shown group mean of each item (null when none is shown). Filters "
            "combine: `?group_by=area&position=manager&organisation_type=municipality`."
        ),
        parameters=[
            OpenApiParameter("group_by", str, enum=list(GROUP_BY), required=False),
            OpenApiParameter("position", str, required=False, description="e.g. `manager`"),
            OpenApiParameter(
                "organisation_type",
                str,
                enum=["municipality", "joint_authority"],
                required=False,
            ),
        ],
        responses={200: ResultsSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        wave = get_object_or_404(Wave.objects.select_related("survey"), pk=pk)
        question = wave.survey.active_questions().filter(type=Question.Type.POSITION).first()
        positions = [c.value for c in question.choices.all()] if question else []
        query = ResultsQuerySerializer(data=request.query_params, positions=positions)
        query.is_valid(raise_exception=True)
        table = cached_item_table(wave=wave, **query.validated_data)
        return Response(results_data(table))
