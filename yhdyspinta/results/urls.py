from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("results/", views.results_home, name="home"),
    path("results/waves/<int:pk>/", views.wave_table, name="table"),
    path("results/waves/<int:pk>/ratings/", views.wave_ratings, name="ratings"),
    path("results/waves/<int:pk>/trends/", views.wave_trends, name="trends"),
    path("results/waves/<int:pk>/map/", views.wave_map, name="map"),
    path("results/waves/<int:pk>/open-answers/", views.wave_open_answers, name="open_answers"),
    path(
        "results/waves/<int:pk>/open-answers/<int:answer_pk>/review/",
        views.review_answer,
        name="review_answer",
    ),
    path("results/waves/<int:pk>/tags/new/", views.add_tag, name="add_tag"),
    path("results/waves/<int:pk>/areas/<str:code>/", views.area_report, name="area_report"),
    path(
        "results/waves/<int:pk>/areas/<str:code>/report.pdf",
        views.area_report_pdf,
        name="area_report_pdf",
    ),
    path("results/waves/<int:pk>/export.<str:fmt>", views.wave_export, name="export"),
]
