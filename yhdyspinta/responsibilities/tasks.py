"""Background work: the monthly upkeep reminder of the responsibility tables.

`manage.py send_upkeep_reminders` queues `send_upkeep_reminders`; `manage.py db_worker` runs
it, never a request. Each person gets at most one message, in their own language:

- an area coordinator (a coordinator membership in an organisation whose areas include the
  area) gets the area's summary: the county's uncovered main themes, the municipalities with
  gaps, the vacant entries and the entries nobody has confirmed for 12 months;
- an organisation editor gets the same for their own organisation's column in each table it
  takes part in.

People with nothing to report get nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from yhdyspinta.accounts.models import Membership, User

from . import coverage
from .coverage import AreaCoverage, ColumnReport

logger = logging.getLogger(__name__)


@dataclass
class _Recipient:
    user: User
    areas: dict[int, AreaCoverage] = field(default_factory=dict)
    columns: dict[tuple[int, int], ColumnReport] = field(default_factory=dict)

    @property
    def has_anything(self) -> bool:
        return bool(self.areas or self.columns)


def _url(name: str, *args, query: str = "") -> str:
    return settings.SITE_URL + reverse(name, args=args) + query


def recipients(coverages: list[AreaCoverage]) -> tuple[list[_Recipient], int]:
    """Who gets what; and how many coordinators and editors had nothing to report."""
    by_area = {c.area.pk: c for c in coverages}
    areas_of_party: dict[int, list[AreaCoverage]] = defaultdict(list)
    for report in coverages:
        for party in report.parties:
            areas_of_party[party.pk].append(report)

    people: dict[int, _Recipient] = {}
    memberships = (
        Membership.objects.filter(
            role__in=[Membership.Role.AREA_COORDINATOR, Membership.Role.EDITOR],
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "organisation")
        .order_by("user__email", "pk")
    )
    for membership in memberships:
        person = people.setdefault(membership.user_id, _Recipient(membership.user))
        organisation = membership.organisation
        if membership.role == Membership.Role.AREA_COORDINATOR:
            for area_id in sorted(organisation.area_ids()):
                report = by_area.get(area_id)
                if report is not None and report.has_anything:
                    person.areas[area_id] = report
        else:
            for report in areas_of_party.get(organisation.pk, []):
                column = report.column(organisation)
                if column.has_anything:
                    person.columns[(report.area.pk, organisation.pk)] = column
    with_news = [p for p in people.values() if p.has_anything]
    return with_news, len(people) - len(with_news)


def build_message(person: _Recipient) -> EmailMessage:
    user = person.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        areas = [
            {
                "report": report,
                "coverage_url": _url("responsibilities:coverage", report.area.code),
                "matrix_url": _url("responsibilities:matrix", report.area.code),
            }
            for report in person.areas.values()
        ]
        columns = [
            {
                "report": column,
                "coverage_url": _url("responsibilities:coverage", column.area.code),
                "matrix_url": _url(
                    "responsibilities:matrix", column.area.code, query=f"?party={column.party.pk}"
                ),
            }
            for column in person.columns.values()
        ]
        context = {"user": user, "areas": areas, "columns": columns}
        subject = render_to_string("responsibilities/email/upkeep_subject.txt", context)
        body = render_to_string("responsibilities/email/upkeep.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email])


@task()
def send_upkeep_reminders() -> dict[str, int]:
    """E-mail the coordinators and editors what is missing or stale in their tables."""
    coverages = coverage.all_area_coverages()
    people, skipped = recipients(coverages)
    sent = failed = 0
    connection = get_connection()
    try:
        connection.open()
    except Exception:
        logger.exception("Could not connect to the mail server")
    for person in people:
        try:
            connection.send_messages([build_message(person)])
        except Exception:
            failed += 1
            logger.exception("Upkeep reminder to user %s failed", person.user.pk)
            # A broken connection is reopened for the next recipient.
            try:
                connection.close()
                connection.open()
            except Exception:
                logger.warning("Mail server still unreachable")
            continue
        sent += 1
    try:
        connection.close()
    except Exception:
        logger.info("Mail connection did not close cleanly")
    return {
        "areas": len(coverages),
        "areas_with_gaps": sum(1 for c in coverages if c.has_anything),
        "sent": sent,
        "failed": failed,
        "skipped": skipped,
    }
