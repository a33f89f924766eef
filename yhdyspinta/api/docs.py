"""A server-rendered, accessible page of the OpenAPI schema.

No third-party viewer: those need inline scripts and styles that our CSP forbids.
"""

from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = _schema()
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": op.get("operationId", f"{method}-{path}"),
                    "summary": op.get("summary") or op.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "type": p.get("schema", {}).get("type", ""),
                            "enum": p.get("schema", {}).get("enum", []),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "public": op.get("security") and {} in op.get("security", []),
                    "responses": sorted(op.get("responses", {})),
                }
            )
    return render(
        request,
        "api/docs.html",
        {"info": schema.get("info", {}), "operations": operations},
    )
