from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from yhdyspinta.accounts.urls import allauth_urlpatterns
from yhdyspinta.api.docs import api_docs
from yhdyspinta.cooperation.forum_views import calendar_feed
from yhdyspinta.core.views import healthz

# Not translated: machine endpoints and the admin.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("yhdyspinta.api.urls")),
    path("admin/", admin.site.urls),
    # The organisation's provider sends people back to one address, whatever the language.
    path("accounts/", include("yhdyspinta.accounts.oidc.urls")),
    # Calendar programs fetch the feeds without signing in: the address is the secret.
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
]

# Pages people read: Finnish at the root, Swedish under /sv/, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("yhdyspinta.organisations.urls")),
    path("", include("yhdyspinta.surveys.urls")),
    path("", include("yhdyspinta.results.urls")),
    path("", include("yhdyspinta.responsibilities.urls")),
    path("", include("yhdyspinta.cooperation.urls")),
    path("", include("yhdyspinta.goals.urls")),
    path("", include("yhdyspinta.situation.urls")),
    path("", include("yhdyspinta.privacy.urls")),
    path("accounts/", include("yhdyspinta.accounts.urls")),
    path("accounts/", include(allauth_urlpatterns)),
    path("", include("yhdyspinta.people.urls")),
    path("api/v1/docs/", api_docs, name="api-docs"),
    prefix_default_language=False,
)

# API addresses get JSON errors in the API's shape; pages get pages.
handler400 = "yhdyspinta.core.errors.bad_request"
handler404 = "yhdyspinta.core.errors.page_not_found"
handler500 = "yhdyspinta.core.errors.server_error"
