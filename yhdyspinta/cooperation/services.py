"""Every change to negotiations, forums, meetings, action items, documents and agreements.

Each function checks the permission again (the views have asked already; the API and the
demo come here too), validates what ties objects together, runs in a transaction and
records the change in the audit log. A negotiation or forum with minutes is archived, never
deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yhdyspinta.accounts import permissions
from yhdyspinta.core import audit
from yhdyspinta.registry.models import Organisation

from . import access
from .models import (
    ActionComment,
    ActionItem,
    Agreement,
    AgreementParty,
    AgreementTheme,
    CalendarFeed,
    Document,
    Forum,
    Meeting,
    MeetingSeries,
    Negotiation,
)
from .richtext import clean_minutes as _clean_minutes

# Kinds that may join only a hyte (or other) negotiation, not a §14 one (611/2021 §14 names
# the municipalities, the county and, by agreement, the regional council and joint authorities).
HYTE_ONLY_KINDS = (
    Organisation.Kind.NGO,
    Organisation.Kind.COMPANY,
    Organisation.Kind.STATE_AUTHORITY,
    Organisation.Kind.OTHER,
)
MAX_OCCURRENCES = 120


def clean_minutes(text: str) -> str:
    try:
        return _clean_minutes(text)
    except ValidationError as error:
        raise ValidationError({"minutes": error.messages}) from error


FIRST_YEAR, LAST_YEAR = 2000, 2100


def check_years(values: dict[str, Any], *fields: str) -> None:
    """Dates and times within 2000–2100: earlier ones are typing errors (and before 1921 the
    Helsinki clock ran on local mean time, which calendars cannot write)."""
    errors = {}
    for field in fields:
        value = values.get(field)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors[field] = _("Choose a date between 2000 and 2100.")
    if errors:
        raise ValidationError(errors)


def _deny(message: str) -> None:
    raise PermissionDenied(message)


# --- Negotiations -----------------------------------------------------------------------


def check_parties(area: Organisation, kind: str, parties: Iterable[Organisation]) -> list:
    """The parties of a negotiation: at least one municipality, all of them in the area."""
    parties = list(parties)
    municipalities = [p for p in parties if p.kind == Organisation.Kind.MUNICIPALITY]
    errors = []
    if not municipalities:
        errors.append(_("Choose at least one municipality of the area as a party."))
    foreign = [p.name for p in municipalities if p.area_id != area.pk]
    if foreign:
        errors.append(
            _("These municipalities are not in %(area)s: %(names)s.")
            % {"area": area.name, "names": ", ".join(sorted(foreign))}
        )
    if kind == Negotiation.Kind.SECTION14:
        others = [p.name for p in parties if p.kind in HYTE_ONLY_KINDS]
        if others:
            errors.append(
                _(
                    "A §14 negotiation is between the county, its municipalities and, by "
                    "agreement, the regional council and joint authorities: %(names)s cannot "
                    "be a party."
                )
                % {"names": ", ".join(sorted(others))}
            )
    if errors:
        raise ValidationError({"parties": errors})
    if area not in parties:
        parties.append(area)
    return parties


NEGOTIATION_FIELDS = (
    "kind", "model", "title_fi", "title_sv", "title_en", "convener", "status", "starts_at",
    "ends_at", "place", "agenda", "minutes", "decisions",
)  # fmt: skip


def _negotiation_values(values: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if k in NEGOTIATION_FIELDS}
    check_years(values, "starts_at", "ends_at")
    if "minutes" in values:
        values["minutes"] = clean_minutes(values["minutes"])
    for key in ("title_sv", "title_en", "place", "agenda", "decisions"):
        if key in values and values[key] is None:
            values[key] = ""
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends < starts:
        raise ValidationError({"ends_at": _("The end cannot be before the start.")})
    return values


@transaction.atomic
def create_negotiation(
    *, actor, area: Organisation, parties: Iterable[Organisation], **values
) -> Negotiation:
    if not access.can_plan_negotiations(actor, area):
        _deny(_("Only the county's editors and coordinators may plan its negotiations."))
    values = _negotiation_values(values)
    values.setdefault("convener", area)
    values["title"] = values.get("title_fi") or values.get("title", "")
    if not values["title"]:
        raise ValidationError({"title_fi": _("Give the negotiation a title in Finnish.")})
    party_list = check_parties(area, values["kind"], parties)
    negotiation = Negotiation.objects.create(area=area, **values)
    negotiation.parties.set(party_list)
    audit.record(
        obj=negotiation,
        action="created",
        actor=actor,
        changes={"parties": [None, ", ".join(sorted(p.name for p in party_list))]},
    )
    return negotiation


@transaction.atomic
def update_negotiation(
    *, actor, negotiation: Negotiation, parties: Iterable[Organisation] | None = None, **values
) -> dict:
    if not access.can_edit_negotiation(actor, negotiation):
        _deny(_("Only the convener's editors and coordinators may change this."))
    if negotiation.archived_at:
        raise ValidationError(_("An archived negotiation cannot be changed."))
    values = _negotiation_values(values)
    if "title_fi" in values:
        values["title"] = values["title_fi"]
    changes = audit.diff(negotiation, values)
    kind = values.get("kind", negotiation.kind)
    if parties is not None:
        party_list = check_parties(negotiation.area, kind, parties)
        old = sorted(p.name for p in negotiation.parties.all())
        new = sorted(p.name for p in party_list)
        if old != new:
            negotiation.parties.set(party_list)
            changes["parties"] = [", ".join(old), ", ".join(new)]
    elif "kind" in values:
        check_parties(negotiation.area, kind, negotiation.parties.all())
    for name, value in values.items():
        setattr(negotiation, name, value)
    if changes:
        negotiation.save()
        audit.record(obj=negotiation, action="changed", actor=actor, changes=changes)
    return changes


@transaction.atomic
def archive(*, actor, obj: Negotiation | Forum) -> None:
    editable = (
        access.can_edit_negotiation(actor, obj)
        if isinstance(obj, Negotiation)
        else access.can_edit_forum(actor, obj)
    )
    if not editable:
        _deny(_("Only the convener's editors and coordinators may change this."))
    if obj.archived_at is None:
        obj.archived_at = timezone.now()
        obj.save(update_fields=["archived_at"])
        audit.record(obj=obj, action="archived", actor=actor)


@transaction.atomic
def delete(*, actor, obj: Negotiation | Forum) -> None:
    """Remove a negotiation or forum made by mistake; one with minutes is archived instead."""
    editable = (
        access.can_edit_negotiation(actor, obj)
        if isinstance(obj, Negotiation)
        else access.can_edit_forum(actor, obj)
    )
    if not editable:
        _deny(_("Only the convener's editors and coordinators may change this."))
    if obj.has_minutes:
        raise ValidationError(
            _("It has minutes, so it is kept: archive it instead of deleting it.")
        )
    audit.record(obj=obj, action="deleted", actor=actor)
    obj.delete()


# --- Documents --------------------------------------------------------------------------


def check_pdf(uploaded) -> bytes:
    """The file's bytes if it is a PDF within the size limit, else ValidationError."""
    limit = settings.COOPERATION_DOCUMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "limit": round(limit / 1048576, 1)},
            code="too_large",
        )
    content = uploaded.read(limit + 1)
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise ValidationError(
            _("The file is not a PDF document. Save it as PDF and upload it again."),
            code="not_pdf",
        )
    return content


@transaction.atomic
def add_document(*, actor, parent, uploaded, title: str = "", is_minutes: bool = False) -> Document:
    if isinstance(parent, Negotiation):
        allowed = access.can_edit_negotiation(actor, parent)
        key = "negotiation"
    elif isinstance(parent, Meeting):
        allowed = access.can_edit_forum(actor, parent.forum)
        key = "meeting"
    else:
        allowed = access.can_edit_agreement(actor, parent)
        key = "agreement"
    if not allowed:
        _deny(_("Only the convener's editors and coordinators may add documents."))
    content = check_pdf(uploaded)
    name = (uploaded.name or "document.pdf").rsplit("/", 1)[-1][:200]
    document = Document.objects.create(
        **{key: parent},
        title=(title or name)[:200],
        filename=name,
        content=content,
        size=len(content),
        is_minutes=is_minutes,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        obj=parent,
        action="document added",
        actor=actor,
        changes={"document": [None, document.title]},
    )
    return document


# --- Action items -----------------------------------------------------------------------


def _check_owner(parent, owner_organisation: Organisation | None, owner_person) -> None:
    if owner_organisation is None:
        raise ValidationError({"owner_organisation": _("Name the organisation that owns it.")})
    if (
        owner_person is not None
        and not owner_person.memberships.filter(organisation=owner_organisation).exists()
    ):
        raise ValidationError(
            {"owner_person": _("The owner person must belong to the owner organisation.")}
        )


@transaction.atomic
def create_action(
    *, actor, parent: Negotiation | Meeting, title: str, owner_organisation, owner_person=None,
    due_on=None,
) -> ActionItem:  # fmt: skip
    if not access.can_manage_actions_of(actor, parent):
        _deny(_("Only the convener's editors and coordinators may add action items."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Write what is to be done.")})
    _check_owner(parent, owner_organisation, owner_person)
    check_years({"due_on": due_on}, "due_on")
    key = "negotiation" if isinstance(parent, Negotiation) else "meeting"
    action = ActionItem.objects.create(
        **{key: parent},
        title=title.strip(),
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_on=due_on,
    )
    audit.record(obj=action, action="created", actor=actor)
    return action


@transaction.atomic
def update_action(*, actor, action: ActionItem, comment: str = "", **values) -> dict:
    """Status by the owner and the source's staff; title, owner and due date by the staff."""
    if not access.can_update_action(actor, action):
        _deny(
            _("Only the owner, the owner organisation's editors and the convener may change this.")
        )
    staff_fields = {"title", "owner_organisation", "owner_person", "due_on"}
    if staff_fields & {k for k, v in values.items() if v != getattr(action, k)}:
        if not access.can_manage_actions_of(actor, action.source):
            _deny(_("Only the convener's editors and coordinators may change the task itself."))
        _check_owner(
            action.source,
            values.get("owner_organisation", action.owner_organisation),
            values.get("owner_person", action.owner_person),
        )
    check_years(values, "due_on")
    if "status" in values and values["status"] not in ActionItem.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    changes = audit.update(action, values, actor=actor)
    if comment.strip():
        ActionComment.objects.create(action=action, author=actor, text=comment.strip())
        audit.record(obj=action, action="commented", actor=actor)
    return changes


def open_actions(*, person=None, organisations: Iterable[Organisation] = ()):
    """Open and in-progress action items of a person or of organisations, across sources."""
    from django.db.models import Q

    condition = Q()
    if person is not None:
        condition |= Q(owner_person=person)
    ids = [o.pk for o in organisations]
    if ids:
        condition |= Q(owner_organisation_id__in=ids)
    if not condition:
        return ActionItem.objects.none()
    return (
        ActionItem.objects.filter(condition, status__in=ActionItem.OPEN_STATUSES)
        .select_related(
            "negotiation", "meeting", "meeting__forum", "owner_organisation", "owner_person"
        )
        .order_by("due_on", "pk")
    )


# --- Forums, meetings and recurrence ------------------------------------------------------

FORUM_FIELDS = (
    "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en",
    "level", "area", "convener", "is_standing", "starts_on", "ends_on", "is_public",
)  # fmt: skip


def _text_or_blank(values: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields`, with None as "" for text (forms and the API give None)."""
    kept = {}
    for key, value in values.items():
        if key in fields:
            is_text = not key.endswith("_on") and key not in ("area", "convener", "is_standing")
            kept[key] = "" if value is None and is_text else value
    return kept


def _forum_values(values: dict[str, Any]) -> dict[str, Any]:
    values = _text_or_blank(values, FORUM_FIELDS)
    check_years(values, "starts_on", "ends_on")
    if values.get("is_standing") is False and not values.get("ends_on"):
        raise ValidationError({"ends_on": _("A temporary forum needs an end date.")})
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    if "name_fi" in values:
        values["name"] = values["name_fi"]
    return values


@transaction.atomic
def create_forum(*, actor, member_organisations=(), members=(), **values) -> Forum:
    values = _forum_values(values)
    convener = values.get("convener")
    if convener is None or not permissions.can_edit_organisation(actor, convener):
        _deny(_("You may set up forums only for an organisation whose editor you are."))
    if not values.get("name"):
        raise ValidationError({"name_fi": _("Give the forum a name in Finnish.")})
    forum = Forum.objects.create(**values)
    forum.member_organisations.set(member_organisations)
    forum.members.set(members)
    audit.record(obj=forum, action="created", actor=actor)
    return forum


@transaction.atomic
def update_forum(*, actor, forum: Forum, member_organisations=None, members=None, **values) -> dict:
    if not access.can_edit_forum(actor, forum):
        _deny(_("Only the convener's editors and coordinators may change this."))
    values = _forum_values(values)
    if values.get("convener") and not permissions.can_edit_organisation(actor, values["convener"]):
        _deny(_("You may hand a forum only to an organisation whose editor you are."))
    changes = audit.update(forum, values, actor=actor)
    if member_organisations is not None:
        old = sorted(o.name for o in forum.member_organisations.all())
        forum.member_organisations.set(member_organisations)
        new = sorted(o.name for o in forum.member_organisations.all())
        if old != new:
            changes["member_organisations"] = [", ".join(old), ", ".join(new)]
            audit.record(
                obj=forum,
                action="changed",
                actor=actor,
                changes={"member_organisations": changes["member_organisations"]},
            )
    if members is not None:
        old_ids = set(forum.members.values_list("pk", flat=True))
        forum.members.set(members)
        if old_ids != set(forum.members.values_list("pk", flat=True)):
            changes["members"] = ["", str(forum.members.count())]
            audit.record(obj=forum, action="members changed", actor=actor)
    return changes


MEETING_FIELDS = (
    "title_fi", "title_sv", "title_en", "starts_at", "ends_at", "place", "online_url", "agenda",
    "minutes", "decisions",
)  # fmt: skip
# Changes that calendars must show again: a new SEQUENCE and a message to the members.
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "online_url", "status", "title_fi")


def _meeting_values(values: dict[str, Any]) -> dict[str, Any]:
    values = {k: ("" if v is None else v) for k, v in values.items() if k in MEETING_FIELDS}
    check_years(values, "starts_at", "ends_at")
    if "minutes" in values:
        values["minutes"] = clean_minutes(values["minutes"])
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if "title_fi" in values:
        values["title"] = values["title_fi"]
    return values


@transaction.atomic
def add_meeting(*, actor, forum: Forum, notify: bool = True, **values) -> Meeting:
    if not access.can_edit_forum(actor, forum):
        _deny(_("Only the convener's editors and coordinators may plan meetings."))
    values = _meeting_values(values)
    if not values.get("starts_at") or not values.get("ends_at"):
        raise ValidationError({"starts_at": _("Give the start and the end.")})
    meeting = Meeting.objects.create(forum=forum, **values)
    audit.record(obj=meeting, action="created", actor=actor)
    if notify:
        _notify_members(meeting)
    return meeting


@transaction.atomic
def update_meeting(*, actor, meeting: Meeting, **values) -> dict:
    if not access.can_edit_forum(actor, meeting.forum):
        _deny(_("Only the convener's editors and coordinators may change meetings."))
    values = _meeting_values(values)
    starts = values.get("starts_at", meeting.starts_at)
    ends = values.get("ends_at", meeting.ends_at)
    if ends <= starts:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    changes = audit.diff(meeting, values)
    if changes:
        for name, value in values.items():
            setattr(meeting, name, value)
        if set(changes) & set(CALENDAR_FIELDS):
            meeting.sequence += 1
        meeting.save()
        audit.record(obj=meeting, action="changed", actor=actor, changes=changes)
        if set(changes) & set(CALENDAR_FIELDS):
            _notify_members(meeting)
    return changes


@transaction.atomic
def cancel_meeting(*, actor, meeting: Meeting) -> None:
    if not access.can_edit_forum(actor, meeting.forum):
        _deny(_("Only the convener's editors and coordinators may change meetings."))
    if meeting.is_cancelled:
        return
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    audit.record(obj=meeting, action="cancelled", actor=actor)
    _notify_members(meeting)


def _notify_members(meeting: Meeting) -> None:
    from . import tasks

    if meeting.forum.members.exists():
        transaction.on_commit(lambda: tasks.send_meeting_notice.enqueue(meeting.pk))


def occurrences(rule: str, first_starts_at: datetime) -> list[datetime]:
    """The start times an RRULE gives from a first start, in Helsinki time, or ValidationError.

    The rule must end (UNTIL or COUNT) and give at least one and at most MAX_OCCURRENCES
    meetings. Times are computed on the local wall clock, so that "9 o'clock" stays 9 o'clock
    across the change to and from summer time.
    """
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    upper = text.upper()
    if "UNTIL=" not in upper and "COUNT=" not in upper:
        raise ValidationError(
            {"rule": _("The rule never ends: add COUNT (how many) or UNTIL (the last date).")}
        )
    local = timezone.localtime(first_starts_at).replace(tzinfo=None)
    try:
        parsed = rrule.rrulestr(text, dtstart=local, ignoretz=True)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            {"rule": _("The rule cannot be read: %(error)s") % {"error": exc}}
        ) from exc
    starts = []
    for when in parsed:
        starts.append(timezone.make_aware(when))
        if len(starts) > MAX_OCCURRENCES:
            raise ValidationError(
                {"rule": _("The rule gives more than %(max)s meetings.") % {"max": MAX_OCCURRENCES}}
            )
    if not starts:
        raise ValidationError({"rule": _("The rule gives no meetings.")})
    if starts[-1].year > LAST_YEAR:
        raise ValidationError({"rule": _("Choose a date between 2000 and 2100.")})
    return starts


@transaction.atomic
def add_series(
    *, actor, forum: Forum, rule: str, first_starts_at: datetime, duration_minutes: int,
    place: str = "", online_url: str = "", title_fi: str = "",
) -> list[Meeting]:  # fmt: skip
    if not access.can_edit_forum(actor, forum):
        _deny(_("Only the convener's editors and coordinators may plan meetings."))
    if not duration_minutes or duration_minutes <= 0:
        raise ValidationError({"duration_minutes": _("Give the length of a meeting in minutes.")})
    check_years({"first_starts_at": first_starts_at}, "first_starts_at")
    starts = occurrences(rule, first_starts_at)
    series = MeetingSeries.objects.create(
        forum=forum, rule=rule.strip(), first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
    )  # fmt: skip
    meetings = [
        Meeting.objects.create(
            forum=forum,
            series=series,
            title=title_fi,
            title_fi=title_fi,
            starts_at=start,
            ends_at=start + timedelta(minutes=duration_minutes),
            place=place or "",
            online_url=online_url or "",
        )
        for start in starts
    ]
    audit.record(
        obj=forum,
        action="meetings added",
        actor=actor,
        changes={"rule": [None, series.rule], "meetings": [None, len(meetings)]},
    )
    if forum.members.exists():
        from . import tasks

        ids = [m.pk for m in meetings]
        transaction.on_commit(lambda: tasks.send_series_notice.enqueue(ids))
    return meetings


# --- Calendar feeds -------------------------------------------------------------------------


@transaction.atomic
def feed_for(*, forum: Forum | None = None, user=None) -> CalendarFeed:
    if forum is not None:
        return CalendarFeed.objects.get_or_create(forum=forum)[0]
    return CalendarFeed.objects.get_or_create(user=user)[0]


@transaction.atomic
def regenerate_feed(*, actor, forum: Forum | None = None) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    from .models import new_feed_token

    if forum is not None and not access.can_edit_forum(actor, forum):
        _deny(_("Only the convener's editors and coordinators may change the forum's feed."))
    feed = feed_for(forum=forum, user=None if forum else actor)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    audit.record(obj=forum or feed, action="calendar address renewed", actor=actor)
    return feed


# --- Agreements -------------------------------------------------------------------------

AGREEMENT_FIELDS = ("title_fi", "title_sv", "title_en", "status", "starts_on", "ends_on", "summary")


@transaction.atomic
def save_agreement(
    *, actor, area: Organisation, agreement: Agreement | None = None, parties=None, **values
) -> Agreement:
    if not permissions.can_edit_organisation(actor, area):
        _deny(_("Only the county's editors and coordinators may keep its agreement."))
    values = _text_or_blank(values, AGREEMENT_FIELDS)
    check_years(values, "starts_on", "ends_on")
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    if "title_fi" in values:
        values["title"] = values["title_fi"]
    if agreement is None:
        if not values.get("title"):
            raise ValidationError({"title_fi": _("Give the agreement a title in Finnish.")})
        agreement = Agreement.objects.create(area=area, **values)
        audit.record(obj=agreement, action="created", actor=actor)
    else:
        audit.update(agreement, values, actor=actor)
    if parties is not None:
        ids = {p.pk for p in parties} | {area.pk}
        foreign = [p.name for p in parties if p.pk != area.pk and area.pk not in p.area_ids()]
        if foreign:
            raise ValidationError(
                {
                    "parties": _("These are not organisations of the area: %(names)s.")
                    % {"names": ", ".join(sorted(foreign))}
                }
            )
        agreement.parties.exclude(organisation_id__in=ids).delete()
        for pk in ids:
            AgreementParty.objects.get_or_create(agreement=agreement, organisation_id=pk)
    return agreement


@transaction.atomic
def set_party_approval(*, actor, party: AgreementParty, approved_on) -> None:
    if not access.can_edit_agreement(actor, party.agreement):
        _deny(_("Only the county's editors and coordinators may keep its agreement."))
    check_years({"approved_on": approved_on}, "approved_on")
    audit.update(party, {"approved_on": approved_on}, actor=actor)


@transaction.atomic
def save_agreement_theme(
    *, actor, agreement: Agreement, theme, responsible=(), goals=""
) -> AgreementTheme:
    if not access.can_edit_agreement(actor, agreement):
        _deny(_("Only the county's editors and coordinators may keep its agreement."))
    item, created = AgreementTheme.objects.get_or_create(agreement=agreement, theme=theme)
    item.goals = (goals or "").strip()
    item.save()
    item.responsible.set(responsible)
    audit.record(
        obj=agreement,
        action="theme added" if created else "changed",
        actor=actor,
        changes={"theme": [None, str(theme)]},
    )
    return item
