from django.urls import path

from . import coverage_views, search_views, transfer_views, views

app_name = "responsibilities"
urlpatterns = [
    # The table of an area: matrix and list, entries, themes, parties (views.py).
    path("responsibilities/", views.index, name="index"),
    path("areas/<str:code>/responsibilities/", views.matrix, name="matrix"),
    path("areas/<str:code>/responsibilities/new/", views.entry_create, name="entry_create"),
    path("responsibilities/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("responsibilities/<int:pk>/confirm/", views.entry_confirm, name="entry_confirm"),
    path("responsibilities/<int:pk>/end/", views.entry_end, name="entry_end"),
    path("responsibilities/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("areas/<str:code>/themes/", views.themes, name="themes"),
    path("areas/<str:code>/themes/<int:pk>/retire/", views.theme_retire, name="theme_retire"),
    path("areas/<str:code>/parties/", views.add_party, name="add_party"),
    path("contacts/<int:pk>/left/", views.contact_left, name="contact_left"),
    # Import and export (transfer_views.py).
    path(
        "areas/<str:code>/responsibilities/import/",
        transfer_views.table_import,
        name="import",
    ),
    path(
        "areas/<str:code>/responsibilities/template.xlsx",
        transfer_views.table_template,
        name="template",
    ),
    path(
        "areas/<str:code>/responsibilities/export.<str:fmt>",
        transfer_views.table_export,
        name="export",
    ),
    # "Whom do I contact?" and vCards (search_views.py).
    path("contacts/", search_views.contact_search, name="search"),
    path("responsibilities/<int:pk>/vcard/", search_views.contact_vcard, name="vcard"),
    # Coverage and upkeep (coverage_views.py).
    path(
        "areas/<str:code>/responsibilities/coverage/",
        coverage_views.area_coverage_view,
        name="coverage",
    ),
    path(
        "responsibilities/coverage/",
        coverage_views.national_coverage_view,
        name="coverage_national",
    ),
]
