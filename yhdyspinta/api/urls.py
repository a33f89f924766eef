from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .cooperation import (
    ActionViewSet,
    AgreementViewSet,
    AreaDutiesView,
    ForumViewSet,
    MeetingViewSet,
    NationalDutiesView,
    NegotiationViewSet,
)
from .goals import AreaMaturityView, AreaPictureView, GoalViewSet
from .people import InvitationDetailView, InvitationListView, MembershipView
from .responsibilities import (
    AreaResponsibilitiesView,
    ResponsibilityConfirmView,
    ResponsibilityEntryView,
    ThemeListView,
)
from .results import WaveResultsView
from .surveys import SubmissionView, SurveyViewSet, WaveViewSet
from .views import OrganisationViewSet


class IdConverter:
    """A database id: at most 18 digits, so that a longer number is a 404, not an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("waves", WaveViewSet, basename="wave")
router.register("negotiations", NegotiationViewSet, basename="negotiation")
router.register("forums", ForumViewSet, basename="forum")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("actions", ActionViewSet, basename="action")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("goals", GoalViewSet, basename="goal")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("answers/", SubmissionView.as_view(), name="api-answers"),
    path("waves/<int:pk>/results/", WaveResultsView.as_view(), name="wave-results"),
    path("themes/", ThemeListView.as_view(), name="api-themes"),
    path(
        "areas/<str:code>/responsibilities/",
        AreaResponsibilitiesView.as_view(),
        name="api-area-responsibilities",
    ),
    path(
        "areas/<str:code>/responsibilities/<int:id>/",
        ResponsibilityEntryView.as_view(),
        name="api-area-responsibility",
    ),
    path(
        "areas/<str:code>/responsibilities/<int:id>/confirm/",
        ResponsibilityConfirmView.as_view(),
        name="api-area-responsibility-confirm",
    ),
    path("areas/<str:code>/duties/", AreaDutiesView.as_view(), name="api-area-duties"),
    path("duties/", NationalDutiesView.as_view(), name="api-duties"),
    path("areas/<str:code>/maturity/", AreaMaturityView.as_view(), name="api-area-maturity"),
    path("areas/<str:code>/picture/", AreaPictureView.as_view(), name="api-area-picture"),
    path(
        "organisations/<id:pk>/people/<id:membership_id>/",
        MembershipView.as_view(),
        name="api-organisation-membership",
    ),
    path(
        "organisations/<id:pk>/invitations/",
        InvitationListView.as_view(),
        name="api-organisation-invitations",
    ),
    path(
        "organisations/<id:pk>/invitations/<id:invitation_id>/",
        InvitationDetailView.as_view(),
        name="api-organisation-invitation",
    ),
    path("", include(router.urls)),
]
