from django.urls import path

from . import action_views, agreement_views, forum_views, views

app_name = "cooperation"
urlpatterns = [
    # Duty board (views.py).
    path("duties/", views.national_duties_view, name="duties_national"),
    path("areas/<str:code>/duties/", views.area_duties_view, name="duties"),
    path(
        "municipalities/<str:code>/duties/",
        views.municipality_duties_view,
        name="duties_municipality",
    ),
    # Negotiations (views.py).
    path("areas/<str:code>/negotiations/", views.negotiation_list, name="negotiations"),
    path("areas/<str:code>/negotiations/new/", views.negotiation_create, name="negotiation_create"),
    path("negotiations/<int:pk>/", views.negotiation_detail, name="negotiation"),
    path("negotiations/<int:pk>/edit/", views.negotiation_edit, name="negotiation_edit"),
    path("negotiations/<int:pk>/archive/", views.negotiation_archive, name="negotiation_archive"),
    path(
        "negotiations/<int:pk>/documents/",
        views.document_upload,
        {"kind": "negotiation"},
        name="negotiation_document",
    ),
    path(
        "negotiations/<int:pk>/actions/",
        views.action_create,
        {"kind": "negotiation"},
        name="negotiation_action",
    ),
    path(
        "meetings/<int:pk>/documents/",
        views.document_upload,
        {"kind": "meeting"},
        name="meeting_document",
    ),
    path(
        "meetings/<int:pk>/actions/",
        views.action_create,
        {"kind": "meeting"},
        name="meeting_action",
    ),
    path("documents/<int:pk>/", views.document_download, name="document"),
    # Forums and meetings (forum_views.py).
    path("forums/", forum_views.forum_list, name="forums"),
    path("forums/new/", forum_views.forum_create, name="forum_create"),
    path("forums/<int:pk>/", forum_views.forum_detail, name="forum"),
    path("forums/<int:pk>/edit/", forum_views.forum_edit, name="forum_edit"),
    path("forums/<int:pk>/archive/", forum_views.forum_archive, name="forum_archive"),
    path("forums/<int:pk>/calendar/", forum_views.forum_feed_renew, name="forum_feed_renew"),
    path("forums/<int:pk>/meetings/new/", forum_views.meeting_create, name="meeting_create"),
    path("forums/<int:pk>/series/new/", forum_views.series_create, name="series_create"),
    path("meetings/<int:pk>/", forum_views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", forum_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", forum_views.meeting_cancel, name="meeting_cancel"),
    path("calendar/", forum_views.my_calendar, name="my_calendar"),
    # Action items (action_views.py).
    path("actions/", action_views.my_actions, name="my_actions"),
    path("actions/<int:pk>/", action_views.action_detail, name="action"),
    # Agreements (agreement_views.py).
    path("agreements/", agreement_views.agreement_overview, name="agreements"),
    path("areas/<str:code>/agreements/", agreement_views.area_agreements, name="area_agreements"),
    path(
        "areas/<str:code>/agreements/new/",
        agreement_views.agreement_create,
        name="agreement_create",
    ),
    path("agreements/<int:pk>/", agreement_views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", agreement_views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/themes/", agreement_views.agreement_theme, name="agreement_theme"),
    path(
        "agreements/<int:pk>/documents/",
        agreement_views.agreement_document,
        name="agreement_document",
    ),
    path(
        "agreements/<int:pk>/approvals/",
        agreement_views.party_approvals,
        name="party_approvals",
    ),
]
