from django.urls import path

from . import views

app_name = "situation"
urlpatterns = [
    path("areas/<str:code>/picture/", views.area_picture, name="area"),
    path("areas/<str:code>/picture.pdf", views.area_picture_pdf, name="area_pdf"),
    path("situation/", views.national_picture, name="national"),
]
