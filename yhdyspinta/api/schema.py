"""The error responses every operation can give, added to the OpenAPI schema in one place.

Each view documents its own successes and the errors particular to it; these are the ones
that come from the framework around it (input checks, authentication, throttles, a missing
object, a defect), all in the shape of api/errors.py.
"""

from __future__ import annotations

from typing import Any

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}

GENERAL = {
    "400": "Invalid input: each problem in `errors`, with its field.",
    "429": "Too many requests: wait and try again (see the `Retry-After` header).",
    "500": "A server error; it is logged for the operators.",
}
NEEDS_LOGIN = {
    "401": "Not signed in: send a token (`Authorization: Token …`) or a session.",
    "403": "Signed in, but without the rights this operation needs.",
}
NOT_FOUND = {"404": "No such object (or address)."}


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            errors = dict(GENERAL)
            if {} not in operation.get("security", [{}]):
                errors |= NEEDS_LOGIN
            if "{" in path:
                errors |= NOT_FOUND
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(status, {"content": ERROR, "description": description})
    return result
