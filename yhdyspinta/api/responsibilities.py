"""The division of work in the API: the interface themes, and an area's responsibility table.

The same rules as the pages: the themes are public (they hold no personal data); an area's
table is read by the people of the area (`permissions.can_read_area`); each column is changed
by its own organisation's editors and coordinators and by the platform's staff. Every change
goes through `responsibilities.services`, which checks the column's owner again, runs in a
transaction and writes the audit log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework import permissions as drf_permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from yhdyspinta.accounts import access, permissions
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities import selectors, services
from yhdyspinta.responsibilities.models import Contact, Responsibility, Theme

from .serializers import OrganisationRefSerializer

LANGUAGES = ("fi", "sv", "en")


# --- Errors, as documented in the schema (the shape comes from api/errors.py) ----------------


class ApiErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="The input field, nested fields joined with `.` (`person.email`); empty for "
        "an error about the whole input."
    )
    reason = serializers.CharField()


class ApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text="`Invalid input.` for a validation error, otherwise the error's message."
    )
    errors = ApiErrorItemSerializer(many=True, help_text="One per problem; empty unless 400.")


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ApiErrorSerializer, description=description)


ERROR_400 = _error("Invalid input: each problem in `errors`, with its field.")
ERROR_401 = _error("Not signed in: use the session or `Authorization: Token <key>`.")
ERROR_403_READ = _error("The user is not one of the area's people.")
ERROR_403_WRITE = _error(
    "The user may not change this column (or, for a session, the CSRF token is missing)."
)
ERROR_404_AREA = _error("No area has this code.")
ERROR_404_ENTRY = _error("No area has this code, or the area's table has no entry with this id.")

AREA_CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Area code: 01-21 for the wellbeing services counties, 90 for Helsinki.",
)
ENTRY_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The entry's id."
)


@contextmanager
def _service_errors() -> Iterator[None]:
    """The services raise Django's exceptions; the API answers them in its JSON format."""
    try:
        yield
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail: Any = {
                ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
                for name, messages in exc.message_dict.items()
            }
        else:
            detail = exc.messages
        raise exceptions.ValidationError(detail) from exc


# --- Themes ----------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [word.strip() for word in (text or "").split(",") if word.strip()]


class ThemeNameSerializer(serializers.Serializer):
    fi = serializers.CharField(source="name_fi")
    sv = serializers.CharField(source="name_sv", help_text="Empty when not written.")
    en = serializers.CharField(source="name_en", help_text="Empty when not written.")


class ThemeKeywordsSerializer(serializers.Serializer):
    fi = serializers.ListField(child=serializers.CharField())
    sv = serializers.ListField(child=serializers.CharField())
    en = serializers.ListField(child=serializers.CharField())

    def to_representation(self, theme: Theme) -> dict[str, list[str]]:
        return {lang: _words(getattr(theme, f"keywords_{lang}")) for lang in LANGUAGES}


class ThemeSerializer(serializers.ModelSerializer):
    name = ThemeNameSerializer(source="*")
    keywords = ThemeKeywordsSerializer(
        source="*", help_text="Search words in each language (stored comma-separated)."
    )
    parent = serializers.IntegerField(
        source="parent_id", allow_null=True, help_text="The main theme's id; null for a main theme."
    )
    area = serializers.CharField(
        source="area.code",
        allow_null=True,
        help_text="Code of the area that added the theme; null for a national theme.",
    )

    class Meta:
        model = Theme
        fields = ["id", "key", "name", "keywords", "parent", "area", "order"]
        read_only_fields = fields


def _table_order(themes: list[Theme]) -> list[Theme]:
    """Each main theme followed by its sub-themes, as in the table (`selectors.themes`)."""
    ordered: list[Theme] = []
    for theme in (t for t in themes if t.parent_id is None):
        ordered.append(theme)
        ordered += [t for t in themes if t.parent_id == theme.pk]
    return ordered


class ThemeListView(APIView):
    """The interface themes: the rows of every area's responsibility table."""

    permission_classes = [drf_permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        operation_id="themes_list",
        summary="The interface themes",
        description=(
            "The national themes in the table's order, each main theme followed by its "
            "sub-themes; with `?area=<code>` also that area's own themes in their places. "
            "Themes in use only. Open to everyone, signed in or not: themes hold no personal "
            "data. The `key` of a national theme is stable and is the same as the choice value "
            "of the survey's interface question."
        ),
        parameters=[
            OpenApiParameter(
                "area",
                OpenApiTypes.STR,
                required=False,
                description="Area code: add the area's own themes.",
            )
        ],
        responses={200: ThemeSerializer(many=True), 404: ERROR_404_AREA},
    )
    def get(self, request: Request) -> Response:
        themes = Theme.objects.filter(is_active=True).select_related("area")
        code = request.query_params.get("area", "")
        if code:
            area = access.get_area(code)
            themes = themes.filter(Q(area__isnull=True) | Q(area=area))
        else:
            themes = themes.filter(area__isnull=True)
        ordered = _table_order(list(themes.order_by("order", "pk")))
        return Response(ThemeSerializer(ordered, many=True).data)


# --- An area's table: output ---------------------------------------------------------------


class ResponsibilityThemeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "key"]
        read_only_fields = fields


class ResponsibilityPersonSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    title = serializers.CharField(allow_null=True, help_text="null for a vacancy.")
    unit = serializers.CharField(allow_null=True, help_text="null for a vacancy.")
    email = serializers.EmailField(allow_null=True, help_text="null for a vacancy.")
    phone = serializers.CharField(allow_null=True, help_text="null for a vacancy.")


def _person(entry: Responsibility, today: date) -> dict[str, Any] | None:
    """The person named: all work details while the entry stands; only the name of someone who
    has left (or whose entry ended), so the vacancy says whom it was; nothing once erased."""
    contact: Contact | None = entry.contact
    if contact is None:
        return None
    if entry.status(today) == Responsibility.Status.VACANT:
        hidden = dict.fromkeys(("title", "unit", "email", "phone"))
        return {"first_name": contact.first_name, "last_name": contact.last_name, **hidden}
    return {name: getattr(contact, name) for name in services.CONTACT_FIELDS}


class ResponsibilityEntrySerializer(serializers.ModelSerializer):
    theme = ResponsibilityThemeRefSerializer(read_only=True)
    party = serializers.IntegerField(
        source="party_id", read_only=True, help_text="The party's (column's) organisation id."
    )
    status = serializers.SerializerMethodField(
        help_text="current: in force; upcoming: starts later; vacant: the person has left or "
        "was erased, or the entry has ended."
    )
    person = serializers.SerializerMethodField(
        help_text="The person named. For a vacancy only the name of the person who left; null "
        "when their details were erased."
    )

    class Meta:
        model = Responsibility
        fields = [
            "id",
            "theme",
            "party",
            "role",
            "status",
            "person",
            "mandate",
            "valid_from",
            "valid_until",
            "confirmed_at",
        ]
        read_only_fields = fields

    def _today(self) -> date:
        return self.context.get("today") or timezone.localdate()

    @extend_schema_field(serializers.ChoiceField(choices=Responsibility.Status.choices))
    def get_status(self, entry: Responsibility) -> str:
        return str(entry.status(self._today()))

    @extend_schema_field(ResponsibilityPersonSerializer(allow_null=True))
    def get_person(self, entry: Responsibility) -> dict[str, Any] | None:
        return _person(entry, self._today())


class AreaResponsibilitiesSerializer(serializers.Serializer):
    area = OrganisationRefSerializer()
    parties = OrganisationRefSerializer(
        many=True,
        help_text="The table's columns: the area, its municipalities, the regional council, "
        "then the organisations that joined. Not filtered.",
    )
    entries = ResponsibilityEntrySerializer(many=True)


# --- An area's table: input ----------------------------------------------------------------


def _theme_by_key(themes: list[Theme], key: str) -> Theme:
    for theme in themes:
        if theme.key == key:
            return theme
    raise serializers.ValidationError(
        _("No theme in this area's table has the key %(key)s.") % {"key": key}
    )


def _party_by_id(parties: list[Organisation], pk: int) -> Organisation:
    for party in parties:
        if party.pk == pk:
            return party
    raise serializers.ValidationError(
        _("%(party)s is not a party of this area's table.") % {"party": pk}
    )


class ResponsibilitiesQuerySerializer(serializers.Serializer):
    theme = serializers.CharField(required=False)
    party = serializers.IntegerField(required=False)
    status = serializers.ChoiceField(choices=Responsibility.Status.choices, required=False)

    def validate_theme(self, key: str) -> Theme:
        return _theme_by_key(self.context["themes"], key)

    def validate_party(self, pk: int) -> Organisation:
        return _party_by_id(self.context["parties"], pk)


@extend_schema_serializer(component_name="ResponsibilityPerson")  # requests: ...PersonRequest
class ResponsibilityPersonInputSerializer(serializers.Serializer):
    """The person's work details. Those left out keep their stored values when the party
    already has a contact with this e-mail; an empty string clears one."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(
        max_length=254,
        help_text="Work e-mail. The same address links the person's entries under every theme "
        "of the organisation; their details are kept (and changed) in one place.",
    )
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


# Named like the output so that the request components are ResponsibilityEntryRequest and
# PatchedResponsibilityEntryRequest, and the schema has one enum for the entry's role.
@extend_schema_serializer(component_name="ResponsibilityEntry")
class ResponsibilityEntryInputSerializer(serializers.Serializer):
    theme = serializers.CharField(
        max_length=60, help_text="Key of a national theme or of one of the area's own themes."
    )
    party = serializers.IntegerField(
        help_text="Id of the party (column) the person answers for: one of the table's parties."
    )
    # No defaults here: a PATCH leaves out what does not change; see _current().
    role = serializers.ChoiceField(
        choices=Responsibility.Role.choices, required=False, help_text="Default: responsible."
    )
    person = ResponsibilityPersonInputSerializer()
    mandate = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="What the person can agree or decide on the party's behalf. Default: empty.",
    )
    valid_from = serializers.DateField(required=False, help_text="First day. Default: today.")
    valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Last day; null (the default): until further notice.",
    )

    def validate_theme(self, key: str) -> Theme:
        return _theme_by_key(self.context["themes"], key)

    def validate_party(self, pk: int) -> Organisation:
        return _party_by_id(self.context["parties"], pk)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        current = self._current()
        start, end = (
            data.get("valid_from", current["valid_from"]),
            data.get("valid_until", current["valid_until"]),
        )
        if start and end and end < start:
            raise serializers.ValidationError(
                {"valid_until": _("The end date cannot be before the start date.")}
            )
        return data

    def _current(self) -> dict[str, Any]:
        """The values the input changes: the entry's own, or a new entry's defaults."""
        entry: Responsibility | None = self.context.get("entry")
        if entry is None:
            return {
                "role": Responsibility.Role.RESPONSIBLE,
                "mandate": "",
                "valid_from": timezone.localdate(),
                "valid_until": None,
            }
        return {name: getattr(entry, name) for name in services.ENTRY_FIELDS}

    def entry_values(self) -> dict[str, Any]:
        """The entry's values for `services.save_entry`: the input over `_current()`."""
        values = self._current()
        values.update({k: v for k, v in self.validated_data.items() if k in services.ENTRY_FIELDS})
        return values

    def contact_values(self) -> dict[str, Any]:
        """The person's details for `services.save_entry`, which finds the person by e-mail
        among the party's contacts and overwrites their details with these.

        Details left out keep their stored values: those of the party's contact with this
        e-mail, or else (PATCH) those of the entry's person. Giving an empty string clears one.
        """
        given = dict(self.validated_data.get("person", {}))
        entry: Responsibility | None = self.context.get("entry")
        current = entry.contact if entry else None
        email = (given.get("email") or (current.email if current else "")).strip().lower()
        party = self.entry_values()["party"]
        known = Contact.objects.filter(organisation=party, email=email).first() if email else None
        base = known or current
        values = {name: getattr(base, name) for name in services.CONTACT_FIELDS} if base else {}
        values.update(given)
        missing = [name for name in ("first_name", "last_name", "email") if not values.get(name)]
        if missing:
            # DRF's own message (and its translation), as for a field missing from the input.
            required = str(serializers.Field.default_error_messages["required"])
            raise serializers.ValidationError({"person": {name: [required] for name in missing}})
        return values


# --- An area's table: views ----------------------------------------------------------------


def _own_entry(request: Request, area: Organisation, pk: int) -> Responsibility:
    """An entry of this area's table in a column the user may change."""
    entry = (
        Responsibility.objects.filter(area=area, pk=pk)
        .select_related("area", "theme", "party", "contact__user")
        .first()
    )
    if entry is None:
        raise exceptions.NotFound(
            _("The area's table has no entry %(id)s.") % {"id": pk},
        )
    if not permissions.can_edit_column(request.user, entry.party):
        raise exceptions.PermissionDenied(_("You can change only your own organisation's column."))
    return entry


def _entry_data(entry: Responsibility) -> dict[str, Any]:
    today = timezone.localdate()
    return ResponsibilityEntrySerializer(entry, context={"today": today}).data


class AreaResponsibilitiesView(APIView):
    """An area's responsibility table: read it, or add an entry to one's own column."""

    permission_classes = [drf_permissions.IsAuthenticated]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        operation_id="area_responsibilities_list",
        summary="An area's responsibility table",
        description=(
            "The table's parties (its columns) and its entries: who answers for which theme on "
            "which party's behalf, with what mandate. The entries are those the table shows "
            "(the same as the page): those in force or starting later, and the vacancies that "
            "no one has filled yet; in the table's order. For the people of the area: members "
            "of the area's organisations, and the platform's staff. A vacancy shows only the "
            "name of the person who left, with no contact details; the person is null when "
            "their details were erased. Filters combine: `?theme=student_welfare&status=vacant`."
        ),
        parameters=[
            AREA_CODE,
            OpenApiParameter(
                "theme", OpenApiTypes.STR, required=False, description="A theme's key."
            ),
            OpenApiParameter(
                "party", OpenApiTypes.INT, required=False, description="A party's id."
            ),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=list(Responsibility.Status.values),
                required=False,
            ),
        ],
        responses={
            200: AreaResponsibilitiesSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403_READ,
            404: ERROR_404_AREA,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        area = access.get_area_for_user(request.user, code)
        today = timezone.localdate()
        table = selectors.responsibility_matrix(area, today)
        query = ResponsibilitiesQuerySerializer(
            data=request.query_params,
            context={"themes": [row.theme for row in table.rows], "parties": table.parties},
        )
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        entries = [
            entry
            for entry in table.entries()
            if ("theme" not in wanted or entry.theme_id == wanted["theme"].pk)
            and ("party" not in wanted or entry.party_id == wanted["party"].pk)
            and ("status" not in wanted or entry.status(today) == wanted["status"])
        ]
        data = AreaResponsibilitiesSerializer(
            {"area": area, "parties": table.parties, "entries": entries},
            context={"today": today},
        ).data
        return Response(data)

    @extend_schema(
        operation_id="area_responsibilities_create",
        summary="Name a person for a theme in one's own column",
        description=(
            "For the owners of the column (`party`): its organisation's editors and "
            "coordinators, and the platform's staff. A county's coordinator changes only the "
            "county's column. The person is found by e-mail among the party's contacts (their "
            "details updated) or added. Saving counts as confirming. Recorded in the audit log."
        ),
        parameters=[AREA_CODE],
        request=ResponsibilityEntryInputSerializer,
        responses={
            201: ResponsibilityEntrySerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403_WRITE,
            404: ERROR_404_AREA,
        },
    )
    def post(self, request: Request, code: str) -> Response:
        area = access.get_area_for_user(request.user, code)
        parties = selectors.parties(area)
        if not any(permissions.can_edit_column(request.user, party) for party in parties):
            raise exceptions.PermissionDenied(
                _("You can change only your own organisation's column.")
            )
        data = ResponsibilityEntryInputSerializer(
            data=request.data, context={"themes": selectors.themes(area), "parties": parties}
        )
        data.is_valid(raise_exception=True)
        values, contact_values = data.entry_values(), data.contact_values()
        with _service_errors():
            entry = services.save_entry(
                actor=request.user, area=area, values=values, contact_values=contact_values
            )
        return Response(_entry_data(entry), status=status.HTTP_201_CREATED)


class ResponsibilityEntryView(APIView):
    """One entry of an area's table: change or delete it, in one's own column."""

    permission_classes = [drf_permissions.IsAuthenticated]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        operation_id="area_responsibilities_partial_update",
        summary="Change an entry",
        description=(
            "Give only what changes; `person` may also be given in part (its other details "
            "stay). The user must own the entry's column and, when `party` changes, the new "
            "one too. Saving counts as confirming. Recorded in the audit log."
        ),
        parameters=[AREA_CODE, ENTRY_ID],
        request=ResponsibilityEntryInputSerializer,
        responses={
            200: ResponsibilityEntrySerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403_WRITE,
            404: ERROR_404_ENTRY,
        },
    )
    def patch(self, request: Request, code: str, id: int) -> Response:
        area = access.get_area_for_user(request.user, code)
        entry = _own_entry(request, area, id)
        data = ResponsibilityEntryInputSerializer(
            data=request.data,
            partial=True,
            context={
                "themes": selectors.themes(area),
                "parties": selectors.parties(area),
                "entry": entry,
            },
        )
        data.is_valid(raise_exception=True)
        values, contact_values = data.entry_values(), data.contact_values()
        with _service_errors():
            entry = services.save_entry(
                actor=request.user,
                area=area,
                values=values,
                contact_values=contact_values,
                entry=entry,
            )
        return Response(_entry_data(entry))

    @extend_schema(
        operation_id="area_responsibilities_destroy",
        summary="Delete an entry made by mistake",
        description=(
            "For an entry entered by mistake. When a person stops answering for a theme, "
            "change `valid_until` instead: the entry then shows as a vacancy until someone is "
            "named. Recorded in the audit log."
        ),
        parameters=[AREA_CODE, ENTRY_ID],
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: ERROR_401,
            403: ERROR_403_WRITE,
            404: ERROR_404_ENTRY,
        },
    )
    def delete(self, request: Request, code: str, id: int) -> Response:
        area = access.get_area_for_user(request.user, code)
        entry = _own_entry(request, area, id)
        with _service_errors():
            services.delete(actor=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResponsibilityConfirmView(APIView):
    permission_classes = [drf_permissions.IsAuthenticated]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        operation_id="area_responsibilities_confirm",
        summary="Confirm that an entry is still right",
        description=(
            "Sets `confirmed_at`; an entry unconfirmed for a year shows as stale. No body. "
            "Recorded in the audit log."
        ),
        parameters=[AREA_CODE, ENTRY_ID],
        request=None,
        responses={
            200: ResponsibilityEntrySerializer,
            401: ERROR_401,
            403: ERROR_403_WRITE,
            404: ERROR_404_ENTRY,
        },
    )
    def post(self, request: Request, code: str, id: int) -> Response:
        area = access.get_area_for_user(request.user, code)
        entry = _own_entry(request, area, id)
        with _service_errors():
            entry = services.confirm(actor=request.user, entry=entry)
        return Response(_entry_data(entry))
