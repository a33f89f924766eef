"""Who a request comes from, as far as the server can trust it: for the login rate limit and
the API's throttles.

A client can write anything in `X-Forwarded-For`; only the entries that our own proxies added
are true. Each proxy appends the address it received the request from, so with PROXY_COUNT
proxies in front of the app the client's address is the PROXY_COUNT-th entry from the right.
Everything to the left of it is the client's own writing and is never used.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if not proxies:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        # Not through all of our proxies: only the connection's own address is known.
        return remote
    hop = hops[-proxies]
    try:
        ipaddress.ip_address(hop)
    except ValueError:
        return remote
    return hop


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail address a login attempt is counted against: `LIITTO@` and `liitto@` are one
    account, so they are one count."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field) or request.POST.get(field, "")
    return str(value).strip().lower()
