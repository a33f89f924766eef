"""Reads for pages of other apps (an area's page, later its situational picture)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from yhdyspinta.registry.models import Organisation

from . import duties
from .models import ActionItem, Agreement, Meeting


def upcoming_meetings(area: Organisation, limit: int = 5) -> QuerySet[Meeting]:
    """The next meetings of the area's forums, cancelled ones included (they say so)."""
    return (
        Meeting.objects.filter(forum__area=area, forum__archived_at__isnull=True)
        .filter(ends_at__gte=timezone.now())
        .select_related("forum")
        .order_by("starts_at")[:limit]
    )


@dataclass
class AreaCooperation:
    duties: duties.AreaDuties
    upcoming: list[Meeting]
    open_actions: int
    overdue_actions: int
    agreement: Agreement | None

    def summary(self) -> list[dict]:
        """Per duty: its label, the current period and how many municipalities have met it."""
        total = len(self.duties.municipalities)
        rows = []
        for duty in duties.DUTIES:
            counter = self.duties.counts(duty)
            period = self.duties.periods[duty]
            rows.append(
                {
                    "label": duties.DUTY_LABELS[duty],
                    "period": period.name if period else None,
                    "met": counter.get("met", 0),
                    "total": total,
                    "due_soon": len(self.duties.due_soon(duty)),
                }
            )
        return rows


def area_cooperation(area: Organisation) -> AreaCooperation:
    today = timezone.localdate()
    actions = ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES).filter(
        negotiation__area=area
    ) | ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES, meeting__forum__area=area)
    return AreaCooperation(
        duties=duties.area_duties(area, today),
        upcoming=list(upcoming_meetings(area)),
        open_actions=actions.count(),
        overdue_actions=actions.filter(due_on__lt=today).count(),
        agreement=area.agreements.order_by("-created_at").first(),
    )
