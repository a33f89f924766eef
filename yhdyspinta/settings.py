"""Settings for Yhdyspinta, read from the environment.

Local use needs no configuration: with no environment the app runs on an embedded SQLite
database with DEBUG on. In production (DEBUG off) SECRET_KEY and ALLOWED_HOSTS must be set,
and the app refuses to start without them.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(env_file)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-a-secret")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    try:
        SECRET_KEY = env("SECRET_KEY")
        ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "With DEBUG off, set SECRET_KEY and ALLOWED_HOSTS in the environment."
        ) from exc

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "yhdyspinta.core",
    "yhdyspinta.accounts",
    "yhdyspinta.registry",
    "yhdyspinta.surveys",
    "yhdyspinta.results",
    "yhdyspinta.responsibilities",
    "yhdyspinta.cooperation",
    "yhdyspinta.goals",
    "yhdyspinta.situation",
    "yhdyspinta.organisations",
    "yhdyspinta.people",
    "yhdyspinta.privacy",
    "yhdyspinta.demo",
    "yhdyspinta.api",
    # Sign-in: the organisation's own OpenID Connect provider, two factors, the session list.
    # After our apps, so that our templates of its pages win.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "yhdyspinta.core.middleware.RefuseNullCharacters",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # After authentication: staff without a second factor may only set one up.
    "yhdyspinta.accounts.middleware.RequireTwoFactor",
    # Axes last, so that it sees the authenticated user.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yhdyspinta.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "yhdyspinta.core.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "yhdyspinta.wsgi.application"

# SQLite next to the code by default; any DATABASE_URL (postgres://...) for real use.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A kept connection is checked before a request uses it, so that after a database restart a
# worker's first request does not fail on the connection the restart closed.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

# Cached survey results. One process: memory is enough. Several app processes must share the
# cache (redis://127.0.0.1:6379/1), or a new response would drop the cached results of only
# the process that received it.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (app + worker) write to the same file; wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "yhdyspinta.accounts.backends.EmailBackend",
    # Sign-ins through an organisation's provider; it checks no password.
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"

# django-allauth runs the sign-in steps after the password or the organisation's provider:
# the second factor, the session record. People never sign up: they are invited
# (accounts/invitations.py), and a provider's answer is matched to an existing account only.
ACCOUNT_ADAPTER = "yhdyspinta.accounts.signin.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "yhdyspinta.accounts.signin.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 600
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # Ours checks the ID token's signature and nonce on every sign-in (accounts/oidc/).
        "provider_class": "yhdyspinta.accounts.oidc.provider.OrganisationProvider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Yhdyspinta"
# Setting up the app right after signing in asks for no second password; whoever must use two
# factors and turns the app off is sent to set it up again (accounts/middleware.py).
MFA_REAUTHENTICATION_REQUIRED = False
# Sessions are recorded at sign-in only: tracking every request would cost each page four
# queries for a "last seen" column.
USERSESSIONS_TRACK_ACTIVITY = False
# Identity providers' client secrets kept in the database are encrypted with this key
# (accounts/secrets.py); by default a key derived from SECRET_KEY.
SECRETS_ENCRYPTION_KEY = env("SECRETS_ENCRYPTION_KEY", default="")
# How long an invitation link to join an organisation stays valid.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
LOGIN_REDIRECT_URL = "organisations:home"
LOGOUT_REDIRECT_URL = "organisations:home"

# How many proxies stand in front of the app. Only the addresses they add to X-Forwarded-For
# are trusted (accounts/client.py); with none, only the connection's own address.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Login rate limit: after AXES_FAILURE_LIMIT failed attempts for one e-mail address (in any
# case, from any address), further attempts are refused for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the address is not part of the count, because counting per user agent or
# cookie can be dodged; the count here is per account, which no rotation dodges.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "yhdyspinta.accounts.client.login_username"
AXES_CLIENT_IP_CALLABLE = "yhdyspinta.accounts.client.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yhdyspinta.accounts.views.locked_out"
AXES_VERBOSE = False

# Languages: Finnish first, Swedish and English.
LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", "suomi"),
    ("sv", "svenska"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi",), "fi": ("sv", "en")}

STATIC_URL = "/static/"
# Locally (and in tests) WhiteNoise serves straight from the apps' static folders;
# in production from STATIC_ROOT, filled by collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: console in local use, SMTP in production (smtp+tls://user:password@host:587).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Yhdyspinta <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where links in e-mails point: the address people use to reach the service.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Negotiation duties: how many days before a period ends an open duty is highlighted and the
# county's coordinators are reminded (cooperation/duties.py).
COOPERATION_DUTY_WARNING_DAYS = {
    "section14": env.int("DUTY_WARNING_DAYS_SECTION14", default=120),
    "hyte": env.int("DUTY_WARNING_DAYS_HYTE", default=60),
}
# Documents (PDF) of negotiations, meetings and agreements are kept in the database.
COOPERATION_DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)

# THL's Sotkanet open-data API, for indicators' figures. THL asks clients to say who they are.
SOTKANET_URL = env("SOTKANET_URL", default="https://sotkanet.fi/rest/1.1/")
SOTKANET_USER_AGENT = env(
    "SOTKANET_USER_AGENT", default=f"Yhdyspinta (cooperation platform; {SITE_URL})"
)

# Background work (e-mail) runs in a worker: `manage.py db_worker`. The queue lives in the
# database, so there is nothing else to operate; several workers may run side by side.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Anonymous waves: the daily job marks answered invitations used in batches of at least this
# many, so that the order and time of marking tell nothing about who gave which answer.
ANSWERED_MARK_BATCH = env.int("ANSWERED_MARK_BATCH", default=20)

# A refused CSRF check gets a page in the reader's language (or JSON under /api/v1/).
CSRF_FAILURE_VIEW = "yhdyspinta.core.errors.csrf_failure"

# Security. Secure cookies and HSTS whenever DEBUG is off; the proxy terminates TLS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: no inline scripts or styles anywhere; everything from our origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated call gets 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable renderer needs inline scripts that our CSP forbids.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in as well: answers and lists do not fit in a form encoding.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "yhdyspinta.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "yhdyspinta.api.errors.exception_handler",
    # Throttles count per address from the right-most trusted hop, as the login limit does.
    "NUM_PROXIES": PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/minute",
        "user": "600/minute",
        # Answers by token, per client address: generous, since many respondents of one
        # organisation may share an address.
        "answers": env("ANSWER_THROTTLE_RATE", default="600/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Yhdyspinta API",
    "DESCRIPTION": (
        "Cooperation data of Finnish municipalities, wellbeing services counties and regional "
        "councils. The organisation registry and the interface themes are public; everything "
        "else needs a session or a token."
    ),
    # Keep the public name of the people's permission role now that entries have a role too.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "yhdyspinta.accounts.models.Membership.Role",
        "ResponsibilityRoleEnum": "yhdyspinta.responsibilities.models.Responsibility.Role",
        # Public names from before the cooperation app's enums, kept for clients.
        "KindEnum": "yhdyspinta.registry.models.Organisation.Kind",
        "StatusEnum": "yhdyspinta.responsibilities.models.Responsibility.Status",
        "NegotiationKindEnum": "yhdyspinta.cooperation.models.Negotiation.Kind",
        "NegotiationStatusEnum": "yhdyspinta.cooperation.models.Negotiation.Status",
        "NegotiationModelEnum": "yhdyspinta.cooperation.models.Negotiation.Model",
        "MeetingStatusEnum": "yhdyspinta.cooperation.models.Meeting.Status",
        "ActionStatusEnum": "yhdyspinta.cooperation.models.ActionItem.Status",
        "AgreementStatusEnum": "yhdyspinta.cooperation.models.Agreement.Status",
        "ForumLevelEnum": "yhdyspinta.cooperation.models.Forum.Level",
        "GoalStatusEnum": "yhdyspinta.goals.status.Status",
        "DutyStatusEnum": "yhdyspinta.cooperation.duties.STATUSES",
    },
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "yhdyspinta.api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Answer links are credentials: no handler writes one (core/logs.py).
    "filters": {"redact_tokens": {"()": "yhdyspinta.core.logs.RedactAnswerTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
FORM_RENDERER = "yhdyspinta.core.forms.FormRenderer"
