"""A small client of THL's Sotkanet open-data REST API (https://sotkanet.fi/rest/1.1/).

Sotkanet numbers its regions its own way; its `regions` list gives each region's category
(KUNTA for a municipality, HYVINVOINTIALUE for a wellbeing services county) and its official
code, through which an organisation of the registry is found. THL asks for occasional
queries: the client sends a User-Agent naming the app, answers come from the cache for a day,
and nothing here runs on a page request (a management command refreshes the figures).

Every answer is checked for the shape this module expects; a service that is down, slow or
answers in another shape raises `SotkanetError` with a message for people, and the caller
changes nothing. Figures from Sotkanet are THL's, under CC BY 4.0 (`ATTRIBUTION`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yhdyspinta.registry.models import Organisation

ATTRIBUTION = gettext_lazy("Source: THL, Sotkanet.fi, licence CC BY 4.0")
CACHE_SECONDS = 24 * 60 * 60
# The categories of Sotkanet's regions an organisation of the registry can be.
CATEGORY_OF_KIND = {
    Organisation.Kind.MUNICIPALITY: "KUNTA",
    Organisation.Kind.WELLBEING_COUNTY: "HYVINVOINTIALUE",
    Organisation.Kind.HELSINKI: "HYVINVOINTIALUE",
}


class SotkanetError(Exception):
    """Sotkanet could not be used; the message says why, for people."""


@dataclass(frozen=True)
class SotkanetIndicator:
    id: int
    title: dict[str, str]
    organisation: str = ""
    decimals: int | None = None

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title.get("fi") or str(self.id)


@dataclass(frozen=True)
class SotkanetRegion:
    id: int
    code: str
    category: str
    title: dict[str, str]


@dataclass(frozen=True)
class DataPoint:
    indicator: int
    region: int
    year: int
    gender: str
    value: Decimal


def _user_agent() -> str:
    return settings.SOTKANET_USER_AGENT


class Client:
    def __init__(self, base_url: str | None = None, *, timeout: float = 20.0):
        self.base_url = (base_url or settings.SOTKANET_URL).rstrip("/") + "/"
        self.timeout = timeout

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        key = (
            "sotkanet:"
            + hashlib.sha256(
                json.dumps([self.base_url, path, params], sort_keys=True).encode()
            ).hexdigest()
        )
        found = cache.get(key)
        if found is not None:
            return found
        try:
            response = httpx.get(
                self.base_url + path,
                params=params,
                headers={"User-Agent": _user_agent(), "Accept": "application/json"},
                timeout=self.timeout,
                follow_redirects=True,
            )
        except httpx.TimeoutException as error:
            raise SotkanetError(_("Sotkanet did not answer in time.")) from error
        except httpx.HTTPError as error:
            raise SotkanetError(_("Sotkanet could not be reached.")) from error
        if response.status_code != 200:
            raise SotkanetError(
                _("Sotkanet answered with an error (HTTP %(status)s).")
                % {"status": response.status_code}
            )
        try:
            answer = response.json()
        except ValueError as error:
            raise SotkanetError(_("Sotkanet's answer was not JSON.")) from error
        cache.set(key, answer, CACHE_SECONDS)
        return answer

    def indicators(self) -> list[SotkanetIndicator]:
        return [_indicator(row) for row in _list_of_objects(self._get("indicators"))]

    def indicator(self, indicator_id: int) -> SotkanetIndicator:
        answer = self._get(f"indicators/{int(indicator_id)}")
        if not isinstance(answer, dict):
            raise _reshaped()
        return _indicator(answer)

    def regions(self) -> list[SotkanetRegion]:
        regions = []
        for row in _list_of_objects(self._get("regions")):
            try:
                regions.append(
                    SotkanetRegion(
                        id=_whole(row["id"]),
                        code=str(row["code"]),
                        category=str(row["category"]),
                        title=_titles(row.get("title")),
                    )
                )
            except (KeyError, TypeError, ValueError) as error:
                raise _reshaped() from error
        return regions

    def data(self, indicator_id: int, years: list[int], gender: str = "total") -> list[DataPoint]:
        """The indicator's values in every region for the years (the `json` endpoint)."""
        params = {"indicator": int(indicator_id), "years": list(years), "genders": gender}
        points = []
        for row in _list_of_objects(self._get("json", params)):
            try:
                value = row.get("value")
                if value is None:  # a region and year with no figure (withheld or missing)
                    continue
                points.append(
                    DataPoint(
                        indicator=_whole(row["indicator"]),
                        region=_whole(row["region"]),
                        year=_whole(row["year"]),
                        gender=str(row["gender"]),
                        value=_decimal(value),
                    )
                )
            except (KeyError, TypeError, ValueError) as error:
                raise _reshaped() from error
        return points


def _reshaped() -> SotkanetError:
    return SotkanetError(_("Sotkanet answered in a shape this version does not understand."))


def _list_of_objects(answer: Any) -> list[dict]:
    if not isinstance(answer, list) or not all(isinstance(row, dict) for row in answer):
        raise _reshaped()
    return answer


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(value)
    return int(value)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(value)
    return Decimal(str(value))


def _titles(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"fi": value}
    if not isinstance(value, dict):
        raise TypeError(value)
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def _indicator(row: dict) -> SotkanetIndicator:
    try:
        organisation = row.get("organization") or {}
        return SotkanetIndicator(
            id=_whole(row["id"]),
            title=_titles(row["title"]),
            organisation=_titles(organisation.get("title", {})).get("fi", "")
            if isinstance(organisation, dict)
            else "",
            decimals=row.get("decimals") if isinstance(row.get("decimals"), int) else None,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _reshaped() from error


def official_code(region: SotkanetRegion) -> str:
    """The registry's code of a Sotkanet region: municipalities have three digits and
    counties two, as in Statistics Finland's classifications."""
    width = 3 if region.category == "KUNTA" else 2
    return region.code.zfill(width)


def region_id_of(organisation: Organisation, regions: list[SotkanetRegion]) -> int | None:
    """Sotkanet's region id of a municipality or an area, or None if it has none."""
    category = CATEGORY_OF_KIND.get(organisation.kind)
    if category is None:
        return None
    for region in regions:
        if region.category == category and official_code(region) == organisation.code:
            return region.id
    return None
