from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Authenticate with the e-mail address, whatever its case (get_by_natural_key is iexact)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            username = username.strip()
        return super().authenticate(request, username=username, password=password, **kwargs)
