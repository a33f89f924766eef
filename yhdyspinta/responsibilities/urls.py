from django.urls import path

from . import views

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
    path("areas/<str:code>/parties/", views.add_party, name="add_party"),
    # Import and export (transfer_views.py).
    # "Whom do I contact?" and vCards (search_views.py).
    # Coverage and upkeep (coverage_views.py).
    # Personal data: a person's own data, erasure by staff (privacy_views.py).
]
