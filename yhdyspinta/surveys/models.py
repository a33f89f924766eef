"""Survey definitions, their waves, invitations and the answers.

A question's `key` is what makes an item comparable across waves: results join waves on it.
Once a wave has answers, a change of meaning creates a new question with a new key (see
`editing.py`); the old one is retired, never rewritten.

Anonymity lives in the shape of the tables: a `Response` has no link to the `Invitation` it came
through, no address and no clock time, only the day. The invitation records only that it was used.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,62}$",
    _("Use lower-case letters a–z, digits and underscores, starting with a letter."),
)


class AnswerMode(models.TextChoices):
    PER_PERSON = "per_person", _("one answer per person")
    PER_ORGANISATION = "per_organisation", _("one answer per organisation")


class Survey(models.Model):
    class Audience(models.TextChoices):
        MUNICIPAL = "municipal", _("municipal leadership")
        COUNTY = "county", _("wellbeing services county leadership")
        COUNCIL = "council", _("regional councils")
        OTHER = "other", _("other")

    key = models.CharField(_("key"), max_length=63, unique=True, validators=[KEY_VALIDATOR])
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.MUNICIPAL
    )
    answer_mode = models.CharField(
        _("answers collected"),
        max_length=20,
        choices=AnswerMode.choices,
        default=AnswerMode.PER_PERSON,
        help_text=_("The default for new waves."),
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown in results"),
        default=5,
        help_text=_("Figures computed from fewer respondents are withheld."),
    )
    min_group_size_open = models.PositiveSmallIntegerField(
        _("smallest group for open answers"), default=8
    )
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Generated demonstration data, not real results.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:survey", args=[self.pk])

    def active_questions(self) -> models.QuerySet[Question]:
        return self.questions.filter(retired_at__isnull=True)


class Section(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["survey", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def top_questions(self) -> models.QuerySet[Question]:
        """The section's questions as shown: matrix items come with their matrix."""
        return self.questions.filter(parent__isnull=True, retired_at__isnull=True)


class Question(models.Model):
    class Type(models.TextChoices):
        LIKERT = "likert", _("rating 1–5")
        MATRIX = "matrix", _("group of ratings on one scale")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        NUMBER = "number", _("number")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        ORGANISATION = "organisation", _("respondent's organisation")
        POSITION = "position", _("respondent's position")

    # Types whose answer is a choice among the question's (or its matrix's) choices.
    CHOICE_TYPES = (Type.LIKERT, Type.MATRIX, Type.SINGLE, Type.MULTIPLE, Type.POSITION)
    # The respondent's organisation and position are stored on the response, not as answers.
    PROFILE_TYPES = (Type.ORGANISATION, Type.POSITION)

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
        help_text=_("The group of ratings this item belongs to."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.CharField(
        _("key"),
        max_length=63,
        validators=[KEY_VALIDATOR],
        help_text=_("Stays the same across waves so that results can be compared."),
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    text = models.TextField(_("question"))
    help = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    allow_cant_say = models.BooleanField(
        _("offer “can't say”"),
        default=False,
        help_text=_("Counts as answered but is not a value: left out of N and means."),
    )
    allow_other = models.BooleanField(_("offer “other, what?”"), default=False)
    min_value = models.IntegerField(_("smallest number"), null=True, blank=True)
    max_value = models.IntegerField(_("largest number"), null=True, blank=True)
    show_if_question = models.ForeignKey(
        "self",
        verbose_name=_("show only when the answer to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependants",
    )
    show_if_value = models.CharField(_("is"), max_length=100, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"

    @property
    def is_choice(self) -> bool:
        return self.type in self.CHOICE_TYPES or (
            self.parent_id is not None and self.type == self.Type.LIKERT
        )

    def scale_choices(self) -> list[Choice]:
        """The choices offered: a matrix item shares its matrix's scale."""
        source = self.parent if self.parent_id else self
        return list(source.choices.all())

    @property
    def answer_items(self) -> list[Question]:
        """The questions that hold answers: a matrix's items, or the question itself."""
        if self.type == self.Type.MATRIX:
            return list(self.items.filter(retired_at__isnull=True))
        return [self]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    value = models.CharField(_("value"), max_length=63)
    label = models.CharField(_("label"), max_length=300)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="choice_value_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Wave(models.Model):
    class Privacy(models.TextChoices):
        ANONYMOUS = "anonymous", _("anonymous")
        IDENTIFIED = "identified", _("identified")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="waves"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example “2026”."))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    privacy = models.CharField(
        _("privacy"), max_length=20, choices=Privacy.choices, default=Privacy.ANONYMOUS
    )
    answer_mode = models.CharField(
        _("answers collected"), max_length=20, choices=AnswerMode.choices
    )
    audience_kinds = models.JSONField(_("organisation kinds"), default=list, blank=True)
    audience_positions = models.JSONField(_("positions"), default=list, blank=True)
    remind_every_days = models.PositiveSmallIntegerField(
        _("remind every (days)"),
        null=True,
        blank=True,
        help_text=_("Those who have not answered get a reminder; empty: reminders by hand only."),
    )
    max_reminders = models.PositiveSmallIntegerField(_("at most this many reminders"), default=2)
    organiser_email = models.EmailField(
        _("organiser's e-mail"), blank=True, help_text=_("Shown to respondents for questions.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved by `tallies.rebuild`; with the tallied respondents it keys the cached results, so a
    # recount shows at once in every app process (see results/cache.py).
    tally_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        ordering = ["survey", "-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="wave_name_unique"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="wave_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:wave", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.privacy == self.Privacy.ANONYMOUS

    @property
    def is_per_organisation(self) -> bool:
        return self.answer_mode == AnswerMode.PER_ORGANISATION

    def is_open(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    def has_closed(self, at: datetime | None = None) -> bool:
        return (at or timezone.now()) >= self.closes_at


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_digest(purpose: str, token_hash: str) -> str:
    """A digest of an invitation's token digest that only holders of SECRET_KEY can compute.

    Rows keyed with it (answered links, drafts) cannot be matched to their invitation from a
    copy of the database alone.
    """
    message = f"{purpose}:{token_hash}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


class Invitation(models.Model):
    """A recipient's personal link. Records whether it was used, never which answer it gave."""

    class SendStatus(models.TextChoices):
        NOT_SENT = "not_sent", _("not sent")
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("sending failed")

    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="survey_invitations",
    )
    position = models.CharField(_("position"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitations",
    )
    # The link's token is derived from the nonce and the secret key (so reminders can repeat
    # it); the database keeps only its digest for lookup.
    nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    send_status = models.CharField(
        _("sending"), max_length=20, choices=SendStatus.choices, default=SendStatus.NOT_SENT
    )
    send_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    # In an anonymous wave the worker sets this in batches, some time after the answer: until
    # then the answer is known by a SpentToken row (see `answered`).
    used = models.BooleanField(_("answered"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["wave", "organisation__name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "email"], name="invitation_once_per_wave"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"

    def token(self) -> str:
        message = f"invitation:{self.pk}:{self.nonce}".encode()
        digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
        return f"{self.pk}-{digest[:32]}"

    def answer_url(self) -> str:
        from django.utils import translation

        with translation.override(self.language):
            path = reverse("surveys:answer", args=[self.token()])
        return settings.SITE_URL + path

    @property
    def spent_digest(self) -> str:
        return keyed_digest("spent", self.token_hash)

    @property
    def draft_key(self) -> str:
        return keyed_digest("draft", self.token_hash)

    @property
    def answered(self) -> bool:
        """Used, or answered in an anonymous wave and not yet marked used by the worker."""
        return self.used or SpentToken.objects.filter(digest=self.spent_digest).exists()

    @property
    def draft(self) -> dict:
        draft = AnswerDraft.objects.filter(key=self.draft_key).first()
        return draft.answers if draft else {}


class SpentToken(models.Model):
    """A link that has been used to answer in an anonymous wave, until the worker marks it used.

    The submission writes this row and never the invitation's, so that no invitation row
    carries the transaction id (`xmin`, `xmax`) of the response. Its key is a keyed digest, so a
    copy of the database alone cannot tell whose link it was; being the primary key, it also
    keeps the link single-use when two requests submit at once. The worker marks the wave's
    invitations used in batches (tasks.mark_answered_invitations) and deletes these rows.
    """

    digest = models.CharField(max_length=64, primary_key=True)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="spent_tokens")

    class Meta:
        verbose_name = _("answered link")
        verbose_name_plural = _("answered links")

    def __str__(self) -> str:
        return self.digest[:8]


def unmarked_answered_ids(wave_id: int) -> set[int]:
    """Invitations of a wave answered anonymously that the daily job has not yet marked used.

    Matching needs SECRET_KEY, so it is done here rather than in SQL.
    """
    digests = set(SpentToken.objects.filter(wave_id=wave_id).values_list("digest", flat=True))
    if not digests:
        return set()
    candidates = Invitation.objects.filter(wave_id=wave_id, used=False)
    return {
        pk
        for pk, token_hash in candidates.values_list("pk", "token_hash")
        if keyed_digest("spent", token_hash) in digests
    }


class AnswerDraft(models.Model):
    """Answers a respondent has saved but not yet submitted, as entered.

    Kept apart from the invitation, under a keyed digest of its token, so that the submission
    can delete it without writing the invitation row (see SpentToken).
    """

    key = models.CharField(max_length=64, primary_key=True)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="drafts")
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("saved draft")
        verbose_name_plural = _("saved drafts")

    def __str__(self) -> str:
        return self.key[:8]


class AnsweredOrganisation(models.Model):
    """One row per organisation that has answered a one-answer-per-organisation wave.

    The unique constraint makes a second answer impossible even when two people submit at once.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="answered_organisations")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "organisation"], name="one_answer_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave}: {self.organisation}"


class Response(models.Model):
    """One submitted answer set.

    In an anonymous wave only what the reports need: organisation, area, position, the day.
    """

    wave = models.ForeignKey(
        Wave, verbose_name=_("wave"), on_delete=models.PROTECT, related_name="responses"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    area = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("wellbeing services area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField(_("position"), max_length=30, blank=True)
    submitted_on = models.DateField(_("submitted on"))
    # Identified waves only; always empty in anonymous ones.
    respondent_email = models.EmailField(_("respondent"), blank=True)
    respondent_name = models.CharField(_("respondent's name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["wave", "pk"]
        indexes = [models.Index(fields=["wave", "area"], name="response_wave_area")]

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"


class Answer(models.Model):
    """One question's answer. A 1–5 rating is in `scale_value`; "can't say" is not a value."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    scale_value = models.PositiveSmallIntegerField(null=True, blank=True)
    cant_say = models.BooleanField(default=False)
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)
    other_text = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(scale_value__isnull=True)
                | (Q(scale_value__gte=1) & Q(scale_value__lte=5)),
                name="answer_scale_1_5",
            ),
            models.CheckConstraint(
                condition=~(Q(cant_say=True) & Q(scale_value__isnull=False)),
                name="answer_cant_say_has_no_value",
            ),
        ]
        indexes = [models.Index(fields=["question", "scale_value"], name="answer_question_value")]

    def __str__(self) -> str:
        return f"{self.question.key}={self.display_value()}"

    def display_value(self) -> str:
        if self.cant_say:
            return "can't say"
        if self.scale_value is not None:
            return str(self.scale_value)
        if self.number is not None:
            return str(self.number)
        if self.choices:
            return ",".join(self.choices)
        return self.text


class Tally(models.Model):
    """How many responses of a wave gave each rating, by area, position and organisation kind.

    Results read these few thousand rows instead of scanning millions of answers.
    `submit_response` adds to them in the same transaction as the response, so they never
    disagree with the answers; `tallies.rebuild` recounts a wave from its answers. One row per
    group has `question_key` "" and counts the respondents. `value` is the rating 1–5, or 0 for
    "can't say". Nothing here is finer than a response already is.
    """

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="tallies")
    area_code = models.CharField(max_length=10, blank=True)
    position = models.CharField(max_length=30, blank=True)
    organisation_kind = models.CharField(max_length=30, blank=True)
    question_key = models.CharField(max_length=100, blank=True)
    value = models.PositiveSmallIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "wave",
                    "area_code",
                    "position",
                    "organisation_kind",
                    "question_key",
                    "value",
                ],
                name="tally_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.wave_id} {self.area_code} {self.question_key}={self.value}: {self.n}"
