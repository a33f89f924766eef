"""Error responses: a page in the reader's language, or for the API the JSON shape that every
API error has (`{"detail": ..., "errors": [{"field", "reason"}]}`, see docs/api.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/v1/") and not request.path.startswith("/api/v1/docs")


def api_error(detail: str, status: int, errors: list[dict[str, str]] | None = None):
    return JsonResponse({"detail": detail, "errors": errors or []}, status=status)


def bad_request_response(request: HttpRequest, message: str) -> HttpResponse:
    if is_api(request):
        return api_error(message, 400)
    return render(request, "400.html", {"message": message}, status=400)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return bad_request_response(request, _("The request could not be understood."))


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api(request):
        return api_error(_("Not found."), 404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Nothing that could fail again: no database, no context processors.
    if is_api(request):
        return api_error("A server error occurred.", 500)
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _(
        "The form had expired or was sent from another page, so nothing was saved. Go back, "
        "reload the page and send the form again. If this happens again, check that your "
        "browser accepts cookies from this service."
    )
    if is_api(request):
        return api_error(message, 403)
    return render(request, "403_csrf.html", {"message": message}, status=403)
