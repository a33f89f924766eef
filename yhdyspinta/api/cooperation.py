"""Negotiations, the duty board, forums, meetings, action items and agreements in the API.

The same services and the same rules as the pages (`cooperation.access`): the convener's
staff write; the people of the area and of the parties read; public forums and their meetings
are open to everyone; the national duty counts to anyone signed in. Every change goes through
`cooperation.services`, which checks the permission again, validates, and writes the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from yhdyspinta.accounts import access as accounts_access
from yhdyspinta.accounts import permissions
from yhdyspinta.cooperation import access, duties, services
from yhdyspinta.cooperation.models import ActionItem, Agreement, Forum, Meeting, Negotiation
from yhdyspinta.registry.models import Organisation

from .responsibilities import AREA_CODE, _service_errors
from .serializers import OrganisationRefSerializer

THROTTLES = [AnonRateThrottle, UserRateThrottle]


def _named(field: str, find):
    """What a body field names, or a 400 naming the field (not a 404: the address exists)."""
    try:
        return find()
    except Http404 as exc:
        raise ValidationError({field: [str(exc)]}) from exc


ON = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    required=False,
    description="The date to compute the duties on (YYYY-MM-DD); default today.",
)


def _on(request: Request) -> date:
    field = serializers.DateField(required=False)
    value = request.query_params.get("on")
    if value is None:
        return timezone.localdate()
    try:
        on = field.to_internal_value(value)
    except serializers.ValidationError as exc:
        raise ValidationError({"on": exc.detail}) from exc
    if not 2000 <= on.year <= 2100:
        raise ValidationError({"on": [_("Choose a date between 2000 and 2100.")]})
    return on


class CooperationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and PATCH (no PUT, no DELETE: records with minutes are archived on
    the pages). `public_reads`: anyone may list and read what the queryset lets them see."""

    throttle_classes = THROTTLES
    lookup_value_regex = r"[0-9]{1,18}"  # fits a 64-bit key; longer is a 404
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [drf_permissions.IsAuthenticated]
    public_reads = False

    def get_permissions(self):
        if self.public_reads and self.action in ("list", "retrieve"):
            return [drf_permissions.AllowAny()]
        return super().get_permissions()

    def update(self, request, *args, **kwargs):  # PUT is not offered; PATCH is each view's own
        raise NotFound()


# --- Negotiations ----------------------------------------------------------------------------


class NegotiationSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True, help_text="Area code.")
    convener = OrganisationRefSerializer(read_only=True)
    parties = serializers.SerializerMethodField(
        help_text="Official codes of the parties that have one (the area, its municipalities, "
        "the regional council)."
    )
    other_parties = serializers.SerializerMethodField(
        help_text="Registry ids of the parties without an official code (joint authorities, "
        "NGOs, companies, state authorities)."
    )
    held_on = serializers.DateField(read_only=True, help_text="The date it starts on, in Finland.")

    class Meta:
        model = Negotiation
        fields = [
            "id", "kind", "model", "area", "title_fi", "title_sv", "title_en", "convener",
            "parties", "other_parties", "status", "starts_at", "ends_at", "held_on", "place",
            "agenda", "minutes", "decisions", "archived_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_parties(self, negotiation: Negotiation) -> list[str]:
        return sorted(p.code for p in negotiation.parties.all() if p.code)

    def get_other_parties(self, negotiation: Negotiation) -> list[int]:
        return sorted(p.pk for p in negotiation.parties.all() if not p.code)


class NegotiationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Negotiation.Kind.choices)
    area = serializers.CharField(max_length=2, help_text="Area code (not changed by PATCH).")
    parties = serializers.ListField(
        child=serializers.CharField(max_length=20),
        min_length=1,
        help_text="Official codes: at least one municipality of the area; the regional council "
        "may join. The area itself is always a party.",
    )
    other_parties = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        help_text="Registry ids of parties without a code (hyte: NGOs, companies, state "
        "authorities; any: joint authorities of the area).",
    )
    status = serializers.ChoiceField(choices=Negotiation.Status.choices, default="planned")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    model = serializers.ChoiceField(choices=Negotiation.Model.choices, default="whole_area")
    title_fi = serializers.CharField(max_length=200)
    title_sv = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField(
        required=False, allow_blank=True, help_text="Plain text or simple HTML; no scripts."
    )
    decisions = serializers.CharField(required=False, allow_blank=True)


def _resolve_parties(area: Organisation, codes: list[str], ids: list[int]) -> list[Organisation]:
    candidates = list(
        Organisation.objects.filter(
            Q(kind=Organisation.Kind.MUNICIPALITY)
            | Q(kind=Organisation.Kind.REGIONAL_COUNCIL, region_id=area.region_id)
        ).filter(code__in=codes)
    )
    found: list[Organisation] = []
    unknown = []
    for code in codes:
        if code == area.code and not any(c.code == code for c in candidates):
            found.append(area)
            continue
        match = [c for c in candidates if c.code == code]
        if not match:
            unknown.append(code)
        found += match
    if unknown:
        raise ValidationError(
            {
                "parties": [
                    _("No municipality or regional council has the code %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                ]
            }
        )
    others = list(Organisation.objects.filter(pk__in=ids).exclude(code__gt=""))
    missing = set(ids) - {o.pk for o in others}
    if missing:
        raise ValidationError(
            {
                "other_parties": [
                    _("No organisation without a code has the id %(ids)s.")
                    % {"ids": ", ".join(str(i) for i in sorted(missing))}
                ]
            }
        )
    return found + others


class NegotiationPermission(drf_permissions.IsAuthenticated):
    message = "Sign in to read negotiations."


@extend_schema_view(
    list=extend_schema(
        summary="Negotiations the user may read",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Only this area's."),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=Negotiation.Kind.values,
                description="Only this type.",
            ),
        ],
    ),
    retrieve=extend_schema(summary="A negotiation"),
    create=extend_schema(
        summary="Plan or record a negotiation (the county's editors and coordinators)",
        request=NegotiationInputSerializer,
        responses={201: NegotiationSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a negotiation (the convener's editors and coordinators)",
        request=NegotiationInputSerializer(partial=True),
        responses={200: NegotiationSerializer},
    ),
)
class NegotiationViewSet(CooperationViewSet):
    serializer_class = NegotiationSerializer
    permission_classes = [NegotiationPermission]

    def get_queryset(self):
        queryset = (
            access.readable_negotiations(self.request.user)
            .select_related("area", "convener")
            .prefetch_related("parties")
            .order_by("-starts_at", "pk")
        )
        code = self.request.query_params.get("area")
        if code:
            queryset = queryset.filter(area__code=code)
        kind = self.request.query_params.get("kind")
        if kind:
            if kind not in Negotiation.Kind.values:
                raise ValidationError({"kind": [_("Unknown type.")]})
            queryset = queryset.filter(kind=kind)
        return queryset

    def get_object(self) -> Negotiation:
        with _service_errors():
            return access.get_negotiation_for_user(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = NegotiationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        with _service_errors():
            code = values.pop("area")
            area = _named("area", lambda: accounts_access.get_area(code))
            parties = _resolve_parties(area, values.pop("parties"), values.pop("other_parties", []))
            negotiation = services.create_negotiation(
                actor=request.user, area=area, parties=parties, **values
            )
        return Response(NegotiationSerializer(negotiation).data, status=201)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        with _service_errors():
            negotiation = access.get_negotiation_for_user(
                request.user, int(kwargs["pk"]), edit=True
            )
        data = NegotiationInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "area" in values and values.pop("area") != negotiation.area.code:
            raise ValidationError({"area": [_("A negotiation cannot move to another area.")]})
        parties = None
        if "parties" in values or "other_parties" in values:
            parties = _resolve_parties(
                negotiation.area,
                values.pop("parties", [p.code for p in negotiation.parties.all() if p.code]),
                values.pop(
                    "other_parties", [p.pk for p in negotiation.parties.all() if not p.code]
                ),
            )
        with _service_errors():
            services.update_negotiation(
                actor=request.user, negotiation=negotiation, parties=parties, **values
            )
        negotiation.refresh_from_db()
        return Response(NegotiationSerializer(negotiation).data)


# --- The duty board --------------------------------------------------------------------------


class DutyStatusSerializer(serializers.Serializer):
    period = serializers.CharField(
        allow_null=True, help_text="The council term (e.g. 2025–2029) or the year; null: none."
    )
    status = serializers.ChoiceField(
        choices=duties.STATUSES, allow_null=True, help_text="null when no period is recorded."
    )
    held_on = serializers.DateField(allow_null=True)
    planned_on = serializers.DateField(allow_null=True)
    due_soon = serializers.BooleanField(help_text="Open within the warning window.")
    days_left = serializers.IntegerField(allow_null=True, help_text="For an open duty.")


def _status(cell: duties.DutyStatus) -> dict[str, Any]:
    return {
        "period": cell.period.name if cell.period else None,
        "status": cell.status,
        "held_on": cell.held_on,
        "planned_on": cell.planned_on,
        "due_soon": cell.due_soon,
        "days_left": cell.days_left,
    }


class MunicipalityDutiesSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    section14 = DutyStatusSerializer()
    section14_previous = DutyStatusSerializer()
    hyte = DutyStatusSerializer()
    hyte_previous = DutyStatusSerializer()


class AreaDutiesSerializer(serializers.Serializer):
    area = serializers.CharField()
    on = serializers.DateField()
    applies = serializers.BooleanField(
        help_text="false for Helsinki, which organises its own services."
    )
    municipalities = MunicipalityDutiesSerializer(many=True)


class AreaDutiesView(APIView):
    permission_classes = [drf_permissions.IsAuthenticated]
    throttle_classes = THROTTLES

    @extend_schema(
        operation_id="area_duties",
        summary="An area's negotiation duties on a date",
        description="For every municipality of the area: the §14 duty of the council term and "
        "of the previous term, and the hyte duty of the year and of the previous year. "
        "met: held in the period; scheduled: planned in it; open: neither, and the period "
        "has not ended; missed: it ended with none held. For the people of the area.",
        parameters=[AREA_CODE, ON],
        responses={200: AreaDutiesSerializer},
    )
    def get(self, request: Request, code: str) -> Response:
        with _service_errors():
            area = accounts_access.get_area_for_user(request.user, code)
        report = duties.area_duties(area, _on(request))
        return Response(
            {
                "area": area.code,
                "on": report.on,
                "applies": report.applies,
                "municipalities": [
                    {
                        "code": row.municipality.code,
                        "name": row.municipality.name,
                        "section14": _status(row.current["section14"]),
                        "section14_previous": _status(row.previous["section14"]),
                        "hyte": _status(row.current["hyte"]),
                        "hyte_previous": _status(row.previous["hyte"]),
                    }
                    for row in report.municipalities
                ],
            }
        )


class StatusCountsSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    open = serializers.IntegerField()
    missed = serializers.IntegerField()


class AreaDutyCountsSerializer(serializers.Serializer):
    area = serializers.CharField()
    name = serializers.CharField()
    applies = serializers.BooleanField()
    municipalities = serializers.IntegerField()
    section14 = StatusCountsSerializer()
    section14_previous = StatusCountsSerializer()
    hyte = StatusCountsSerializer()
    hyte_previous = StatusCountsSerializer()


class NationalDutiesSerializer(serializers.Serializer):
    on = serializers.DateField()
    section14_period = serializers.CharField(allow_null=True)
    hyte_period = serializers.CharField()
    areas = AreaDutyCountsSerializer(many=True)


def _counts(counter) -> dict[str, int]:
    return {status: counter.get(status, 0) for status in duties.STATUSES}


class NationalDutiesView(APIView):
    permission_classes = [drf_permissions.IsAuthenticated]
    throttle_classes = THROTTLES

    @extend_schema(
        operation_id="duties_national",
        summary="Every area's negotiation duties on a date, as counts of municipalities",
        parameters=[ON],
        responses={200: NationalDutiesSerializer},
    )
    def get(self, request: Request) -> Response:
        national = duties.national_duties(_on(request))
        return Response(
            {
                "on": national.on,
                "section14_period": (
                    national.periods["section14"].name if national.periods["section14"] else None
                ),
                "hyte_period": national.periods["hyte"].name,
                "areas": [
                    {
                        "area": report.area.code,
                        "name": report.area.name,
                        "applies": report.applies,
                        "municipalities": len(report.municipalities),
                        **{duty: _counts(report.counts(duty)) for duty in duties.DUTIES},
                        **{
                            f"{duty}_previous": _counts(report.counts(duty, previous=True))
                            for duty in duties.DUTIES
                        },
                    }
                    for report in national.areas
                ],
            }
        )


# --- Forums and meetings ---------------------------------------------------------------------


class ForumSerializer(serializers.ModelSerializer):
    key = serializers.CharField(
        read_only=True,
        help_text="A stable key for a forum loaded from published sources; empty otherwise.",
    )
    area = serializers.CharField(source="area.code", allow_null=True, read_only=True)
    convener = OrganisationRefSerializer(read_only=True)
    member_organisations = OrganisationRefSerializer(many=True, read_only=True)
    calendar_url = serializers.SerializerMethodField(
        help_text="The forum's iCalendar feed (a secret address) for signed-in readers; null "
        "otherwise."
    )

    class Meta:
        model = Forum
        fields = [
            "id", "key", "name_fi", "name_sv", "name_en", "description_fi", "description_sv",
            "description_en", "level", "area", "convener", "member_organisations",
            "is_standing", "starts_on", "ends_on", "is_public", "source", "calendar_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_calendar_url(self, forum: Forum) -> str | None:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return None
        return request.build_absolute_uri(services.feed_for(forum=forum).get_absolute_url())


class ForumInputSerializer(serializers.Serializer):
    name_fi = serializers.CharField(max_length=200)
    name_sv = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_fi = serializers.CharField(required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=Forum.Level.choices)
    area = serializers.CharField(max_length=2, required=False, allow_null=True)
    convener = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Registry id.")
    is_standing = serializers.BooleanField(default=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    member_organisations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False
    )


@extend_schema_view(
    list=extend_schema(summary="Forums the user may read (public ones for everyone)"),
    retrieve=extend_schema(summary="A forum"),
    create=extend_schema(
        summary="Set up a forum (editors and coordinators of the convener)",
        request=ForumInputSerializer,
        responses={201: ForumSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a forum (the convener's editors and coordinators)",
        request=ForumInputSerializer(partial=True),
        responses={200: ForumSerializer},
    ),
)
class ForumViewSet(CooperationViewSet):
    public_reads = True
    serializer_class = ForumSerializer

    def get_queryset(self):
        return (
            access.readable_forums(self.request.user)
            .select_related("area", "convener")
            .prefetch_related("member_organisations")
            .order_by("name", "pk")
        )

    def get_object(self) -> Forum:
        with _service_errors():
            return access.get_forum_for_user(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = ForumInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        code = values.pop("area", None)
        convener = Organisation.objects.filter(pk=values.pop("convener")).first()
        if convener is None:
            raise ValidationError({"convener": [_("There is no such organisation.")]})
        members = list(Organisation.objects.filter(pk__in=values.pop("member_organisations", [])))
        with _service_errors():
            area = _named("area", lambda: accounts_access.get_area(code)) if code else None
            forum = services.create_forum(
                actor=request.user,
                area=area,
                convener=convener,
                member_organisations=members,
                **values,
            )
        return Response(ForumSerializer(forum, context={"request": request}).data, status=201)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        with _service_errors():
            forum = access.get_forum_for_user(request.user, int(kwargs["pk"]), edit=True)
        data = ForumInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "area" in values and values.pop("area") != (forum.area.code if forum.area else None):
            raise ValidationError({"area": [_("A forum cannot move to another area.")]})
        if "convener" in values:
            convener = Organisation.objects.filter(pk=values["convener"]).first()
            if convener is None:
                raise ValidationError({"convener": [_("There is no such organisation.")]})
            values["convener"] = convener
        members = None
        if "member_organisations" in values:
            members = list(Organisation.objects.filter(pk__in=values.pop("member_organisations")))
        values.setdefault("is_standing", forum.is_standing)
        values.setdefault("ends_on", forum.ends_on)
        values.setdefault("starts_on", forum.starts_on)
        with _service_errors():
            services.update_forum(
                actor=request.user, forum=forum, member_organisations=members, **values
            )
        forum.refresh_from_db()
        return Response(ForumSerializer(forum, context={"request": request}).data)


class MeetingSerializer(serializers.ModelSerializer):
    forum = serializers.IntegerField(source="forum_id", read_only=True)
    online_url = serializers.CharField(read_only=True, help_text="An address (URL), or empty.")
    uid = serializers.CharField(read_only=True, help_text="The meeting's iCalendar UID.")

    class Meta:
        model = Meeting
        fields = [
            "id", "forum", "title_fi", "title_sv", "title_en", "starts_at", "ends_at", "place",
            "online_url", "status", "agenda", "minutes", "decisions", "uid", "sequence",
        ]  # fmt: skip
        read_only_fields = fields


class MeetingInputSerializer(serializers.Serializer):
    forum = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    title_fi = serializers.CharField(max_length=200, required=False, allow_blank=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    online_url = serializers.URLField(required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField(required=False, allow_blank=True)
    decisions = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=Meeting.Status.choices,
        required=False,
        help_text="PATCH with cancelled to cancel; members are told with an .ics.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Meetings of the forums the user may read",
        parameters=[OpenApiParameter("forum", OpenApiTypes.INT, description="Only this forum's.")],
    ),
    retrieve=extend_schema(summary="A meeting"),
    create=extend_schema(
        summary="Plan a meeting (the convener's editors and coordinators)",
        request=MeetingInputSerializer,
        responses={201: MeetingSerializer},
    ),
    partial_update=extend_schema(
        summary="Move, change or cancel a meeting",
        request=MeetingInputSerializer(partial=True),
        responses={200: MeetingSerializer},
    ),
)
class MeetingViewSet(CooperationViewSet):
    public_reads = True
    serializer_class = MeetingSerializer

    def get_queryset(self):
        queryset = Meeting.objects.filter(forum__in=access.readable_forums(self.request.user))
        forum = self.request.query_params.get("forum")
        if forum:
            if not forum.isascii() or not forum.isdigit() or len(forum) > 10:
                raise ValidationError({"forum": [_("A forum's id, a whole number.")]})
            queryset = queryset.filter(forum_id=int(forum))
        return queryset.order_by("starts_at", "pk")

    def get_object(self) -> Meeting:
        with _service_errors():
            return access.get_meeting_for_user(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("status", None)
        with _service_errors():
            pk = values.pop("forum")
            forum = _named("forum", lambda: access.get_forum_for_user(request.user, pk, edit=True))
            meeting = services.add_meeting(actor=request.user, forum=forum, **values)
        return Response(MeetingSerializer(meeting).data, status=201)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        with _service_errors():
            meeting = access.get_meeting_for_user(request.user, int(kwargs["pk"]), edit=True)
        data = MeetingInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("forum", None)
        status = values.pop("status", None)
        with _service_errors():
            if values:
                services.update_meeting(actor=request.user, meeting=meeting, **values)
            if status == Meeting.Status.CANCELLED:
                services.cancel_meeting(actor=request.user, meeting=meeting)
        meeting.refresh_from_db()
        return Response(MeetingSerializer(meeting).data)


# --- Action items ---------------------------------------------------------------------------


class ActionSerializer(serializers.ModelSerializer):
    negotiation = serializers.IntegerField(source="negotiation_id", allow_null=True)
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    owner_organisation = OrganisationRefSerializer()
    owner_person = serializers.SerializerMethodField(help_text="The person's name, or null.")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id", "title", "negotiation", "meeting", "owner_organisation", "owner_person",
            "due_on", "status", "overdue", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_owner_person(self, action: ActionItem) -> str | None:
        return str(action.owner_person) if action.owner_person else None

    def get_overdue(self, action: ActionItem) -> bool:
        return action.is_overdue()


class ActionInputSerializer(serializers.Serializer):
    negotiation = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    meeting = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    title = serializers.CharField(max_length=300)
    owner_organisation = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    due_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ActionItem.Status.choices, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate(self, data):
        if not self.partial and bool(data.get("negotiation")) == bool(data.get("meeting")):
            raise ValidationError(_("Give either a negotiation or a meeting."))
        return data


@extend_schema_view(
    list=extend_schema(
        summary="Action items the user may read",
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.INT, description="Owned by this."),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=ActionItem.Status.values, description="Status."
            ),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only overdue ones."),
        ],
    ),
    retrieve=extend_schema(summary="An action item"),
    create=extend_schema(
        summary="Add an action item to a negotiation or a meeting",
        request=ActionInputSerializer,
        responses={201: ActionSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an action item's status (with a comment), or the task itself",
        request=ActionInputSerializer(partial=True),
        responses={200: ActionSerializer},
    ),
)
class ActionViewSet(CooperationViewSet):
    serializer_class = ActionSerializer

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:  # the schema generator; the permission refuses others
            return ActionItem.objects.none()
        negotiations = access.readable_negotiations(user)
        forums = access.readable_forums(user).filter(is_public=False)
        mine = permissions.organisation_ids(user)
        condition = (
            Q(negotiation__in=negotiations)
            | Q(meeting__forum__in=forums)
            | Q(owner_organisation_id__in=mine)
            | Q(owner_person=user)
        )
        if accounts_access.is_platform_admin(user):
            condition = Q()
        queryset = ActionItem.objects.filter(condition).select_related(
            "owner_organisation", "owner_person"
        )
        params = self.request.query_params
        if params.get("organisation"):
            value = params["organisation"]
            if not value.isascii() or not value.isdigit() or len(value) > 10:
                raise ValidationError({"organisation": [_("An organisation's id.")]})
            queryset = queryset.filter(owner_organisation_id=int(value))
        if params.get("status"):
            if params["status"] not in ActionItem.Status.values:
                raise ValidationError({"status": [_("Unknown status.")]})
            queryset = queryset.filter(status=params["status"])
        overdue = params.get("overdue")
        if overdue is not None and overdue not in ("true", "false"):
            raise ValidationError({"overdue": [_("true or false.")]})
        if overdue == "true":
            queryset = queryset.filter(
                status__in=ActionItem.OPEN_STATUSES, due_on__lt=timezone.localdate()
            )
        return queryset.distinct().order_by("due_on", "pk")

    def get_object(self) -> ActionItem:
        with _service_errors():
            return access.get_action_for_user(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = ActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        owner = Organisation.objects.filter(pk=values["owner_organisation"]).first()
        if owner is None:
            raise ValidationError({"owner_organisation": [_("There is no such organisation.")]})
        with _service_errors():
            if values.get("negotiation"):
                parent = _named(
                    "negotiation",
                    lambda: access.get_negotiation_for_user(
                        request.user, values["negotiation"], edit=True
                    ),
                )
            else:
                parent = _named(
                    "meeting",
                    lambda: access.get_meeting_for_user(request.user, values["meeting"], edit=True),
                )
            action = services.create_action(
                actor=request.user,
                parent=parent,
                title=values["title"],
                owner_organisation=owner,
                due_on=values.get("due_on"),
            )
        return Response(ActionSerializer(action).data, status=201)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        with _service_errors():
            action = access.get_action_for_user(request.user, int(kwargs["pk"]), update=True)
        data = ActionInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("negotiation", None)
        values.pop("meeting", None)
        comment = values.pop("comment", "")
        if "owner_organisation" in values:
            owner = Organisation.objects.filter(pk=values["owner_organisation"]).first()
            if owner is None:
                raise ValidationError({"owner_organisation": [_("There is no such organisation.")]})
            values["owner_organisation"] = owner
        with _service_errors():
            services.update_action(actor=request.user, action=action, comment=comment, **values)
        action.refresh_from_db()
        return Response(ActionSerializer(action).data)


# --- Agreements ----------------------------------------------------------------------------


class AgreementPartySerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    approved_on = serializers.DateField(allow_null=True)


class AgreementThemeSerializer(serializers.Serializer):
    theme = serializers.CharField(source="theme.key", help_text="The interface theme's key.")
    responsible = serializers.SerializerMethodField()
    goals = serializers.ListField(child=serializers.CharField(), source="goal_list")

    def get_responsible(self, item) -> list[int]:
        return sorted(o.pk for o in item.responsible.all())


class AgreementSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    parties = AgreementPartySerializer(many=True)
    themes = AgreementThemeSerializer(many=True)

    class Meta:
        model = Agreement
        fields = [
            "id", "area", "title_fi", "title_sv", "title_en", "status", "starts_on", "ends_on",
            "summary", "parties", "themes",
        ]  # fmt: skip
        read_only_fields = fields


class AgreementInputSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=2)
    title_fi = serializers.CharField(max_length=200)
    title_sv = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Agreement.Status.choices, default="planned")
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Agreements of the areas the user may read"),
    retrieve=extend_schema(summary="An agreement"),
    create=extend_schema(
        summary="Record an agreement (the county's editors and coordinators)",
        request=AgreementInputSerializer,
        responses={201: AgreementSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an agreement's status, term or texts",
        request=AgreementInputSerializer(partial=True),
        responses={200: AgreementSerializer},
    ),
)
class AgreementViewSet(CooperationViewSet):
    serializer_class = AgreementSerializer

    def get_queryset(self):
        areas = permissions.readable_area_ids(self.request.user)
        queryset = Agreement.objects.select_related("area").prefetch_related(
            "parties__organisation", "themes__theme", "themes__responsible"
        )
        if areas is not None:
            queryset = queryset.filter(area_id__in=areas)
        return queryset.order_by("area__code", "pk")

    def get_object(self) -> Agreement:
        with _service_errors():
            return access.get_agreement_for_user(self.request.user, int(self.kwargs["pk"]))

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = AgreementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        with _service_errors():
            code = values.pop("area")
            area = _named("area", lambda: accounts_access.get_area(code))
            agreement = services.save_agreement(actor=request.user, area=area, parties=[], **values)
        return Response(AgreementSerializer(agreement).data, status=201)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        with _service_errors():
            agreement = access.get_agreement_for_user(request.user, int(kwargs["pk"]), edit=True)
        data = AgreementInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "area" in values and values.pop("area") != agreement.area.code:
            raise ValidationError({"area": [_("An agreement cannot move to another area.")]})
        values.setdefault("starts_on", agreement.starts_on)
        values.setdefault("ends_on", agreement.ends_on)
        with _service_errors():
            services.save_agreement(
                actor=request.user, area=agreement.area, agreement=agreement, **values
            )
        agreement.refresh_from_db()
        return Response(AgreementSerializer(agreement).data)
