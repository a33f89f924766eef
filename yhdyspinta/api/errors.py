"""Every API error is JSON that says what is wrong and, where it concerns input, which field."""

import logging
from typing import Any

from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger("yhdyspinta.api")


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            field = f"{prefix}.{key}" if prefix else str(key)
            if field == "non_field_errors":
                field = ""
            out += _flatten(value, field)
        return out
    if isinstance(detail, list):
        out = []
        for item in detail:
            out += _flatten(item, prefix)
        return out
    return [{"field": prefix, "reason": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]):
    request = context.get("request")
    if request is not None:
        # An error is JSON even where the caller asked for a file (`?format=xlsx`).
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    response = drf_exception_handler(exc, context)
    if response is None:
        # A defect, not bad input: logged with its traceback, answered in the API's shape.
        logger.exception("Unhandled error in %s", request.path if request else "the API")
        set_rollback()
        return Response({"detail": "A server error occurred.", "errors": []}, status=500)
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Invalid input.", "errors": _flatten(exc.detail)}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "errors": []}
    return response
