"""Reads for the staff pages: who has been invited and who has answered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from yhdyspinta.accounts.models import Membership
from yhdyspinta.registry.models import Organisation

from .models import Invitation, Question, Wave, unmarked_answered_ids


@dataclass(frozen=True)
class RateRow:
    key: str
    label: str
    invited: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.invited * 100 if self.invited else None


@dataclass(frozen=True)
class ResponseRate:
    total: RateRow
    by_area: list[RateRow]
    by_organisation: list[RateRow]
    by_position: list[RateRow]
    not_answered: list[RateRow]


def _rows(invitations, field: str, answered: Q) -> dict[object, tuple[int, int]]:
    counts = invitations.values(field).annotate(
        invited=Count("pk"), answered=Count("pk", filter=answered)
    )
    return {row[field]: (row["invited"], row["answered"]) for row in counts}


def answered_q(wave: Wave) -> Q:
    """Invitations answered: marked used, or answered anonymously and not yet marked."""
    return Q(used=True) | Q(pk__in=unmarked_answered_ids(wave.pk))


def position_labels(wave: Wave) -> dict[str, str]:
    labels = dict(Membership.Position.choices)
    question = wave.survey.active_questions().filter(type=Question.Type.POSITION).first()
    if question:
        labels.update({c.value: c.label for c in question.choices.all()})
    return {k: str(v) for k, v in labels.items()}


def response_rate(wave: Wave) -> ResponseRate:
    """Invited and answered, counted from the invitations, which hold no answers."""
    invitations = Invitation.objects.filter(wave=wave)
    is_answered = answered_q(wave)
    total = invitations.aggregate(invited=Count("pk"), answered=Count("pk", filter=is_answered))
    by_org = _rows(invitations, "organisation", is_answered)
    organisations = Organisation.objects.in_bulk(list(by_org)).values()
    areas = Organisation.objects.in_bulk(
        {o.area_id or o.pk for o in organisations if o.area_id or o.is_area}
    )
    area_totals: dict[int | None, list[int]] = {}
    for org in organisations:
        area_id = org.area_id or (org.pk if org.is_area else None)
        invited, answered = by_org[org.pk]
        bucket = area_totals.setdefault(area_id, [0, 0])
        bucket[0] += invited
        bucket[1] += answered
    by_area = sorted(
        (
            RateRow(
                areas[a].code if a else "",
                areas[a].area_label if a else "–",
                invited,
                answered,
            )
            for a, (invited, answered) in area_totals.items()
        ),
        key=lambda r: r.label,
    )
    org_rows = sorted(
        (RateRow(str(o.pk), o.name, *by_org[o.pk]) for o in organisations),
        key=lambda r: r.label,
    )
    labels = position_labels(wave)
    by_position = [
        RateRow(position or "", labels.get(position, position or "–"), invited, answered)
        for position, (invited, answered) in sorted(
            _rows(invitations, "position", is_answered).items()
        )
    ]
    return ResponseRate(
        total=RateRow("all", "", total["invited"], total["answered"]),
        by_area=by_area,
        by_organisation=org_rows,
        by_position=by_position,
        not_answered=[row for row in org_rows if row.answered == 0],
    )
