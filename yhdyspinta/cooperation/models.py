"""The legal frame and the forums of an area's cooperation: council terms, negotiations,
forums and their meetings, action items, documents and strategic cooperation agreements.

Duties are computed from these records (`duties.py`), never stored: a §14 negotiation is due
once per council term, a hyte negotiation once per calendar year.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CouncilTermQuerySet(models.QuerySet["CouncilTerm"]):
    def containing(self, on: date) -> CouncilTerm | None:
        return self.filter(starts_on__lte=on, ends_on__gte=on).first()

    def before(self, term: CouncilTerm) -> CouncilTerm | None:
        return self.filter(ends_on__lt=term.starts_on).order_by("-ends_on").first()


class CouncilTerm(models.Model):
    """A term of the municipal and county councils: the period of the §14 negotiation duty."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = CouncilTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("council term")
        verbose_name_plural = _("council terms")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="council_term_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.name


def one_parent(*names: str) -> Q:
    """Exactly one of the nullable foreign keys `names` is set."""
    options = Q()
    for name in names:
        option = Q(**{f"{name}__isnull": False})
        for other in names:
            if other != name:
                option &= Q(**{f"{other}__isnull": True})
        options |= option
    return options


class Negotiation(models.Model):
    """A negotiation of the county and (some of) its municipalities, planned or held."""

    class Kind(models.TextChoices):
        SECTION14 = "section14", _("§14 negotiation (611/2021)")
        HYTE = "hyte", _("hyte negotiation (612/2021 §6–7)")
        OTHER = "other", pgettext_lazy("negotiation kind", "other negotiation")

    class Model(models.TextChoices):
        CONTINUOUS = "continuous", _("continuous (a standing board)")
        PER_MUNICIPALITY = "per_municipality", _("one per municipality")
        REGIONAL = "regional", _("regional (a group of municipalities)")
        WHOLE_AREA = "whole_area", _("the whole area at once")
        THEME_BASED = "theme_based", _("theme-based")
        STANDARD_FORMAT = "standard_format", _("standard format")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="negotiations",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    model = models.CharField(
        _("organising model"), max_length=20, choices=Model.choices, default=Model.WHOLE_AREA
    )
    title = models.CharField(_("title"), max_length=200)
    convener = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("convener"),
        on_delete=models.PROTECT,
        related_name="convened_negotiations",
    )
    parties = models.ManyToManyField(
        "registry.Organisation", verbose_name=_("parties"), related_name="negotiations_as_party"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("negotiation")
        verbose_name_plural = _("negotiations")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="negotiation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:negotiation", args=[self.pk])

    @property
    def held_on(self) -> date:
        return timezone.localdate(self.starts_at)

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes.strip()) or self.documents.filter(is_minutes=True).exists()


class Forum(models.Model):
    """A standing or temporary forum (arena) that meets: a board, a network, a working group.

    National forums have no area; they are public, like the association's forum series.
    """

    class Level(models.TextChoices):
        POLITICAL = "political", _("political leadership")
        MANAGEMENT = "management", _("official and management")
        SECTOR = "sector", _("sector")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forums",
        help_text=_("Empty for a national forum."),
    )
    convener = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("convener"),
        on_delete=models.PROTECT,
        related_name="convened_forums",
    )
    member_organisations = models.ManyToManyField(
        "registry.Organisation",
        verbose_name=_("member organisations"),
        related_name="forums_as_member",
        blank=True,
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="forums",
        blank=True,
    )
    is_standing = models.BooleanField(_("standing"), default=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Required for a temporary forum.")
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Anyone may see a public forum and its meetings (not its action items)."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the facts of a forum loaded from published material come from."),
    )
    key = models.SlugField(_("key"), max_length=60, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_standing=True) | Q(ends_on__isnull=False),
                name="forum_temporary_has_end",
            ),
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="forum_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cooperation:forum", args=[self.pk])

    @property
    def has_minutes(self) -> bool:
        return (
            self.meetings.exclude(minutes="").exists()
            or Document.objects.filter(meeting__forum=self, is_minutes=True).exists()
        )


class MeetingSeries(models.Model):
    """A recurrence rule that made a forum's meetings (RFC 5545 RRULE, e.g. the first Friday
    of each month). The meetings are stored one by one, so each can be moved or cancelled."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="series")
    rule = models.CharField(_("recurrence rule"), max_length=300)
    first_starts_at = models.DateTimeField(_("first meeting starts"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return f"{self.forum}: {self.rule}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", pgettext_lazy("meeting", "cancelled")

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="meetings"
    )
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    # The calendar identity: the UID never changes; SEQUENCE goes up with every change that
    # calendars must show (time, place, cancellation), as RFC 5545 asks.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.forum} {timezone.localtime(self.starts_at):%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("cooperation:meeting", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class ActionItem(models.Model):
    """Something agreed in a negotiation or a meeting, owned by an organisation (and a person)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    negotiation = models.ForeignKey(
        Negotiation,
        verbose_name=_("negotiation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    title = models.CharField(_("title"), max_length=300)
    owner_organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=one_parent("negotiation", "meeting"), name="action_item_one_parent"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:action", args=[self.pk])

    @property
    def source(self) -> Negotiation | Meeting:
        return self.negotiation or self.meeting  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < on


class ActionComment(models.Model):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Agreement(models.Model):
    """An area's strategic cooperation agreement, its parties and its content by theme."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("agreement", "planned")
        IN_PREPARATION = "in_preparation", _("in preparation")
        APPROVED = "approved", _("approved")
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")

    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["area__name", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:agreement", args=[self.pk])


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement party")
        verbose_name_plural = _("agreement parties")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_party_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class AgreementTheme(models.Model):
    """One interface theme the agreement covers: who answers for it and the goals set."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="themes")
    theme = models.ForeignKey(
        "responsibilities.Theme", verbose_name=_("theme"), on_delete=models.PROTECT
    )
    responsible = models.ManyToManyField(
        "registry.Organisation", verbose_name=_("responsible parties"), blank=True
    )
    goals = models.TextField(_("goals"), blank=True, help_text=_("One goal per line."))

    class Meta:
        verbose_name = _("agreement theme")
        verbose_name_plural = _("agreement themes")
        ordering = ["theme__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "theme"], name="agreement_theme_once")
        ]

    def __str__(self) -> str:
        return str(self.theme)

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]


class Document(models.Model):
    """A PDF attached to a negotiation, a meeting or an agreement.

    Kept in the database, like every other state, so that backups and several app processes
    need no shared file system; the size limit (`COOPERATION_DOCUMENT_MAX_BYTES`) keeps it small.
    """

    negotiation = models.ForeignKey(
        Negotiation, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    is_minutes = models.BooleanField(_("these are the minutes"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=one_parent("negotiation", "meeting", "agreement"),
                name="document_one_parent",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def parent(self) -> Negotiation | Meeting | Agreement:
        return self.negotiation or self.meeting or self.agreement  # type: ignore[return-value]


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of an iCalendar feed: a forum's meetings or a person's.

    Whoever holds the address reads the feed (calendar programs cannot sign in), so it can be
    regenerated, which ends the old one.
    """

    forum = models.OneToOneField(
        Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="feed"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(condition=one_parent("forum", "user"), name="feed_one_owner")
        ]

    def __str__(self) -> str:
        return f"feed {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("calendar-feed", args=[self.token])


class DutyReminder(models.Model):
    """A reminder sent for an area, a duty and a period, so that each goes out once."""

    area = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="+")
    duty = models.CharField(max_length=20)
    period = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "duty", "period"], name="duty_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.duty} {self.period}"
