"""Surveys in the API: definitions and waves for staff, answering by token for respondents.

The submission endpoint runs the same `submit_response` service as the form, so both accept and
refuse the same answers with the same messages.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import permissions as drf_permissions
from rest_framework import renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from yhdyspinta.accounts.access import IsPlatformAdmin
from yhdyspinta.core.exports import Sheet, to_csv, to_xlsx
from yhdyspinta.surveys import exports, services
from yhdyspinta.surveys.definition import survey_to_definition
from yhdyspinta.surveys.models import Survey, Wave


class SurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = [
            "id",
            "key",
            "title_fi",
            "title_sv",
            "title_en",
            "audience",
            "answer_mode",
            "min_group_size",
            "min_group_size_open",
            "is_demo",
        ]


class SurveyDetailSerializer(SurveySerializer):
    definition = serializers.SerializerMethodField()

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "definition"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_definition(self, survey: Survey) -> dict:
        return survey_to_definition(survey)


class WaveSerializer(serializers.ModelSerializer):
    survey = serializers.PrimaryKeyRelatedField(read_only=True)
    invited = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Wave
        fields = [
            "id",
            "survey",
            "name",
            "opens_at",
            "closes_at",
            "is_open",
            "privacy",
            "answer_mode",
            "audience_kinds",
            "audience_positions",
            "invited",
            "answered",
        ]

    def get_is_open(self, wave: Wave) -> bool:
        return wave.is_open()


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """Survey definitions (staff). The detail includes the whole definition with its keys."""

    lookup_value_regex = r"\d+"
    permission_classes = [IsPlatformAdmin]
    queryset = Survey.objects.order_by("pk")

    def get_serializer_class(self):
        return SurveyDetailSerializer if self.action == "retrieve" else SurveySerializer


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if "columns" not in data:  # an error body
            return renderers.JSONRenderer().render(data)
        return to_csv(data["columns"], data["rows"])


class XLSXRenderer(renderers.BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if "columns" not in data:
            return renderers.JSONRenderer().render(data)
        return to_xlsx([Sheet("responses", data["columns"], data["rows"])])


class WaveViewSet(viewsets.ReadOnlyModelViewSet):
    """Waves of every survey (staff), with invited and answered counts."""

    lookup_value_regex = r"\d+"
    permission_classes = [IsPlatformAdmin]
    serializer_class = WaveSerializer

    def get_queryset(self):
        from django.db.models import Count, Q

        # Answered: marked used, plus anonymous answers the daily job has not yet marked.
        return Wave.objects.annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__used=True), distinct=True)
            + Count("spent_tokens", distinct=True),
        ).order_by("pk")

    @extend_schema(
        summary="A wave's raw responses",
        description=(
            "One row per response: `response_id`, `organisation_code`, `area_code` (the official "
            "two-digit code of the wellbeing services county; 90 for Helsinki), `position`, then "
            "one column per question key. A rating is 1–5; **`cant_say` is the code for "
            '"can\'t say"**, which is not a value; multiple choices are joined with `;`; an '
            '"other, what?" text is in the column `<key>.other`; an empty cell is unanswered. '
            "Choose the file type with `?format=csv` or `?format=xlsx`; JSON gives "
            '`{"columns": [...], "rows": [[...]]}`.'
        ),
        parameters=[
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"], required=False
            )
        ],
        responses={
            200: inline_serializer(
                "WaveResponses",
                {
                    "columns": serializers.ListField(child=serializers.CharField()),
                    "rows": serializers.ListField(child=serializers.ListField()),
                },
            )
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, CSVRenderer, XLSXRenderer],
    )
    def responses(self, request: Request, pk: str) -> Response:
        wave = get_object_or_404(Wave, pk=pk)
        questions = exports.export_questions(wave)
        data = {
            "columns": exports.columns(questions),
            "rows": list(exports.response_rows(wave, questions)),
        }
        response = Response(data)
        extension = request.accepted_renderer.format
        if extension in ("csv", "xlsx"):
            stamp = timezone.localdate().isoformat()
            filename = f"{wave.survey.key}_{wave.name}_{stamp}.{extension}"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class SubmissionSerializer(serializers.Serializer):
    token = serializers.CharField(
        max_length=200, help_text="The token of the personal link (the part after /answer/)."
    )
    answers = serializers.DictField(
        help_text=(
            'Answers by question key. Ratings 1–5 or "cant_say"; single choice a value; '
            'multiple choice a list of values; "other, what?" text under "<key>.other"; '
            "numbers as numbers; texts as strings."
        )
    )


SUBMISSION_STATUS = {
    "unknown_token": status.HTTP_404_NOT_FOUND,
    "already_answered": status.HTTP_409_CONFLICT,
    "organisation_answered": status.HTTP_409_CONFLICT,
    "not_open": status.HTTP_403_FORBIDDEN,
    "closed": status.HTTP_403_FORBIDDEN,
    "invalid": status.HTTP_400_BAD_REQUEST,
}


class SubmissionView(APIView):
    """Submit a whole response with the token of a personal invitation link."""

    authentication_classes: list = []
    permission_classes = [drf_permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "answers"

    @extend_schema(
        request=SubmissionSerializer,
        responses={
            201: inline_serializer(
                "SubmissionReceived",
                {"status": serializers.CharField(), "submitted_on": serializers.DateField()},
            ),
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
        description=(
            "The same checks as the form. Errors: 400 invalid answers (each key in `errors`), "
            "404 unknown token, 403 the wave is not open, 409 the link was already used or the "
            "organisation has already answered. No identifier of the stored response is "
            "returned: in an anonymous wave nothing links the answer back to the link."
        ),
    )
    def post(self, request: Request) -> Response:
        data = SubmissionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            response = services.submit_response(
                token=data.validated_data["token"], answers=data.validated_data["answers"], api=True
            )
        except services.SubmissionRefused as exc:
            body = {
                "detail": exc.message,
                "code": exc.code,
                "errors": [
                    {"field": f"answers.{key}", "reason": reason}
                    for key, reason in exc.errors.items()
                ],
            }
            return Response(body, status=SUBMISSION_STATUS[exc.code])
        return Response(
            {"status": "received", "submitted_on": response.submitted_on},
            status=status.HTTP_201_CREATED,
        )
