"""Refuse requests that no page can use, before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .errors import bad_request_response

NUL = "\x00"


class RefuseNullCharacters:
    """A NUL character in the address or a form is never meant, and PostgreSQL refuses to
    compare text with one (every lookup with it would fail as a server error). Forms already
    refuse it field by field; this covers the address, the query string and the form fields
    that views read directly."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or self._in(request.GET) or self._in_form(request):
            return bad_request_response(
                request, _("The address or the form contains a character that is not allowed.")
            )
        return self.get_response(request)

    @staticmethod
    def _in(data) -> bool:
        return any(NUL in key or any(NUL in v for v in data.getlist(key)) for key in data)

    def _in_form(self, request: HttpRequest) -> bool:
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method != "POST" or not content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            return False
        return self._in(request.POST)
