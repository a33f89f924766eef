from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.home, name="home"),
    path("areas/", views.area_list, name="areas"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/import/", views.organisation_import, name="organisation_import"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
]
