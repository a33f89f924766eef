from django.urls import path

from . import respondent_views, staff_views

app_name = "surveys"
urlpatterns = [
    # Respondents: the personal link is the only credential.
    path("answer/<str:token>/", respondent_views.answer, name="answer"),
    path("answer/<str:token>/<int:step>/", respondent_views.answer, name="answer_step"),
    path("answer/<str:token>/done/", respondent_views.answer_done, name="answer_done"),
    # Staff.
    path("surveys/", staff_views.survey_list, name="surveys"),
    path("surveys/new/", staff_views.survey_create, name="survey_create"),
    path("surveys/import/", staff_views.survey_import, name="survey_import"),
    path("surveys/<int:pk>/", staff_views.survey_detail, name="survey"),
    path("surveys/<int:pk>/edit/", staff_views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/xlsform/", staff_views.survey_export, name="survey_export"),
    path("surveys/<int:pk>/preview/", respondent_views.preview, name="preview"),
    path("surveys/<int:pk>/preview/<int:step>/", respondent_views.preview, name="preview_step"),
    path("surveys/<int:pk>/sections/new/", staff_views.section_edit, name="section_create"),
    path(
        "surveys/<int:pk>/sections/<int:section_pk>/edit/",
        staff_views.section_edit,
        name="section_edit",
    ),
    path(
        "surveys/<int:pk>/sections/<int:section_pk>/questions/new/",
        staff_views.question_edit,
        name="question_create",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/edit/",
        staff_views.question_edit,
        name="question_edit",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/move/",
        staff_views.question_move,
        name="question_move",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/remove/",
        staff_views.question_remove,
        name="question_remove",
    ),
    path("surveys/<int:pk>/waves/new/", staff_views.wave_edit, name="wave_create"),
    path("surveys/<int:pk>/waves/<int:wave_pk>/edit/", staff_views.wave_edit, name="wave_edit"),
    path("waves/<int:pk>/", staff_views.wave_detail, name="wave"),
    path(
        "waves/<int:pk>/invite-registry/",
        staff_views.wave_invite_registry,
        name="wave_invite_registry",
    ),
    path(
        "waves/<int:pk>/recipients/import/", staff_views.wave_import_recipients, name="wave_import"
    ),
    path("waves/<int:pk>/send/", staff_views.wave_send_invitations, name="wave_send"),
    path("waves/<int:pk>/remind/", staff_views.wave_send_reminders, name="wave_remind"),
    path("waves/<int:pk>/response-rate/", staff_views.wave_rate, name="wave_rate"),
]
