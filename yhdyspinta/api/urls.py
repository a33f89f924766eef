from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from .results import WaveResultsView
from .surveys import SubmissionView, SurveyViewSet, WaveViewSet
from .views import OrganisationViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("waves", WaveViewSet, basename="wave")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("answers/", SubmissionView.as_view(), name="api-answers"),
    path("waves/<int:pk>/results/", WaveResultsView.as_view(), name="wave-results"),
    path("", include(router.urls)),
]
