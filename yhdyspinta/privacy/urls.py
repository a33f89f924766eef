from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data.json", views.my_data_json, name="my_data_json"),
    path("people/erase/", views.erase_person_view, name="erase"),
]
