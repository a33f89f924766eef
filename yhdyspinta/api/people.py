"""An organisation's people and invitations in the API, under the pages' rules.

Reading the people is for the people of the organisation's area; inviting, changing and ending
memberships is for its editors and its area's coordinators (and the platform staff), never
giving a role above one's own (`accounts.permissions`). The services check it again, write the
audit log and send the invitation from the background worker.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yhdyspinta.accounts import access, invitations
from yhdyspinta.accounts.models import Invitation, Membership
from yhdyspinta.people import services
from yhdyspinta.registry.models import Organisation

from .responsibilities import _service_errors
from .serializers import PersonSerializer


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    position = serializers.ChoiceField(choices=Membership.Position.choices)
    role = serializers.ChoiceField(choices=Membership.Role.choices, default="member")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="fi")


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Invitation.Status.choices, read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "name",
            "organisation",
            "position",
            "role",
            "language",
            "status",
            "created_at",
            "expires_at",
            "sent_at",
        ]


class MembershipInputSerializer(serializers.Serializer):
    position = serializers.ChoiceField(choices=Membership.Position.choices)
    role = serializers.ChoiceField(choices=Membership.Role.choices)


def _organisation(pk: int) -> Organisation:
    return get_object_or_404(Organisation, pk=pk)


def invite(request: Request, organisation: Organisation) -> Response:
    data = InvitationInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    with _service_errors():
        invitation = invitations.invite(
            actor=request.user, organisation=organisation, **data.validated_data
        )
    return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationListView(APIView):
    @extend_schema(
        operation_id="organisations_invitations_list",
        responses=InvitationSerializer(many=True),
        summary="Open invitations to join the organisation (for its people managers).",
    )
    def get(self, request: Request, pk: int) -> Response:
        with _service_errors():
            organisation = access.get_organisation_for_people_manager(request.user, pk)
        pending = invitations.pending(organisation).order_by("-created_at")
        return Response(InvitationSerializer(pending, many=True).data)

    @extend_schema(
        operation_id="organisations_invitations_create",
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer},
        summary="Invite a person by e-mail; the link is sent by the background worker.",
    )
    def post(self, request: Request, pk: int) -> Response:
        return invite(request, _organisation(pk))


class InvitationDetailView(APIView):
    @extend_schema(
        operation_id="organisations_invitations_revoke",
        responses={204: None},
        summary="Withdraw an open invitation: its link stops working.",
    )
    def delete(self, request: Request, pk: int, invitation_id: int) -> Response:
        invitation = get_object_or_404(Invitation, pk=invitation_id, organisation_id=pk)
        with _service_errors():
            invitations.revoke(actor=request.user, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembershipView(APIView):
    @extend_schema(
        operation_id="organisations_people_update",
        request=MembershipInputSerializer,
        responses=PersonSerializer,
        summary="Change a member's position or role (never above your own role).",
    )
    def patch(self, request: Request, pk: int, membership_id: int) -> Response:
        membership = get_object_or_404(
            Membership.objects.select_related("user", "organisation"),
            pk=membership_id,
            organisation_id=pk,
        )
        data = MembershipInputSerializer(
            data={"position": membership.position, "role": membership.role, **request.data}
        )
        data.is_valid(raise_exception=True)
        with _service_errors():
            services.change_membership(
                actor=request.user, membership=membership, **data.validated_data
            )
        return Response(PersonSerializer(membership).data)

    @extend_schema(
        operation_id="organisations_people_end",
        parameters=[
            OpenApiParameter(
                "has_left",
                OpenApiTypes.BOOL,
                description="The person left the organisation: their entries turn vacant.",
            )
        ],
        responses={
            200: OpenApiResponse(description="The membership was ended; what to hand over.")
        },
        summary="End a membership, or mark that the person has left.",
    )
    def delete(self, request: Request, pk: int, membership_id: int) -> Response:
        membership = get_object_or_404(
            Membership.objects.select_related("user", "organisation"),
            pk=membership_id,
            organisation_id=pk,
        )
        has_left = request.query_params.get("has_left", "").lower() in ("1", "true", "yes")
        with _service_errors():
            ending = services.end_membership(
                actor=request.user, membership=membership, has_left=has_left
            )
        return Response(
            {
                "account_closed": ending.account_closed,
                "sessions_ended": ending.sessions_ended,
                "contacts_left": [str(c) for c in ending.handover.contacts] if has_left else [],
                "open_actions": [a.pk for a in ending.handover.actions],
                "survey_invitations": [i.pk for i in ending.handover.survey_invitations],
            }
        )
