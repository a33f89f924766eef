from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("areas/<str:code>/goals/", views.area_goals, name="area_goals"),
    path("areas/<str:code>/goals/new/", views.goal_create, name="goal_create"),
    path("areas/<str:code>/goals/import/", views.measurement_import, name="import"),
    path("goals/<int:pk>/", views.goal_detail, name="goal"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path("measurements/<int:pk>/delete/", views.measurement_delete, name="measurement_delete"),
    path("areas/<str:code>/maturity/", views.area_maturity, name="area_maturity"),
    path("maturity/", views.national_maturity, name="national_maturity"),
]
