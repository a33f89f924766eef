from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("organisations/<int:pk>/people/", views.people, name="people"),
    path("people/memberships/<int:pk>/", views.membership, name="membership"),
    path("people/memberships/<int:pk>/end/", views.end_membership, name="end_membership"),
    path("people/invitations/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("people/invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("people/import/", views.invite_import, name="invite_import"),
]
