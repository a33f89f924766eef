from allauth.account import views as allauth_account_views
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    path("two-factor/", views.two_factor_required, name="two_factor_required"),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

# The parts of django-allauth used here, under its own URL names (its views redirect by them):
# the second factor and the session list. Not its sign-up, e-mail, password or provider error
# pages: people are invited, the pages above handle passwords, and every refusal by a provider
# is answered by `signin.refuse`. (The provider's own addresses are in accounts/oidc/urls.py.)
allauth_urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("logout/", allauth_account_views.logout, name="account_logout"),
    path("inactive/", allauth_account_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", allauth_account_views.reauthenticate, name="account_reauthenticate"),
    path("2fa/", include("allauth.mfa.urls")),
    path("sessions/", include("allauth.usersessions.urls")),
]
