from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from yhdyspinta.accounts import permissions
from yhdyspinta.accounts.models import Membership
from yhdyspinta.organisations import services
from yhdyspinta.registry.models import Organisation

from .filters import OrganisationFilter
from .people import InvitationInputSerializer, InvitationSerializer, invite
from .serializers import (
    OrganisationDetailsInputSerializer,
    OrganisationSerializer,
    PersonSerializer,
)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisation registry. Reading is public; people need area membership."""

    serializer_class = OrganisationSerializer
    # At most 18 digits: a longer number is no id (and would overflow the database's integer).
    lookup_value_regex = r"\d{1,18}"
    filterset_class = OrganisationFilter
    queryset = Organisation.objects.select_related("area", "region", "successor").order_by(
        "name", "pk"
    )

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [drf_permissions.AllowAny()]
        return [drf_permissions.IsAuthenticated()]

    def get_throttles(self):
        from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

        return [AnonRateThrottle(), UserRateThrottle()]

    def filter_queryset(self, queryset):
        if "active" not in self.request.query_params:
            queryset = queryset.active()
        return super().filter_queryset(queryset)

    @extend_schema(request=OrganisationDetailsInputSerializer, responses=OrganisationSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        organisation = get_object_or_404(Organisation, pk=pk)
        if not permissions.can_edit_organisation(request.user, organisation):
            raise PermissionDenied("You may change only your own organisation's details.")
        data = OrganisationDetailsInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organisation = services.update_organisation_details(
            actor=request.user, organisation=organisation, values=data.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(
        methods=["GET"],
        responses=PersonSerializer(many=True),
        summary="People of the organisation: for members of its area and the platform staff.",
    )
    @extend_schema(
        methods=["POST"],
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer},
        summary="Invite a person (the same as POST invitations/): people join by invitation.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def people(self, request: Request, pk: str) -> Response:
        """People of the organisation; POST invites one more."""
        organisation = get_object_or_404(Organisation, pk=pk)
        if request.method == "POST":
            return invite(request, organisation)
        if not permissions.can_read_area_data(request.user, organisation):
            raise PermissionDenied("People are shown to the members of the organisation's area.")
        memberships = (
            Membership.objects.filter(organisation=organisation, user__is_active=True)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        return Response(PersonSerializer(memberships, many=True).data)
