"""Running a wave: recipients, invitations and reminders, drafts and the submitted answers."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yhdyspinta.accounts.models import Membership
from yhdyspinta.core import audit, tables
from yhdyspinta.core.tables import ImportRejected, RowError
from yhdyspinta.registry.models import Organisation

from . import tallies
from .answers import check_answers
from .models import (
    Answer,
    AnswerDraft,
    AnsweredOrganisation,
    Invitation,
    Question,
    Response,
    SpentToken,
    Survey,
    Wave,
    token_digest,
    unmarked_answered_ids,
)

RECIPIENT_COLUMNS = ("email", "organisation_code", "position", "name", "language")


class SubmissionRefused(Exception):
    """The answer cannot be taken. `code` tells the API which status to use."""

    def __init__(self, code: str, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors or {}


# -- reading an invitation --------------------------------------------------------------------


def find_invitation(token: str, *, for_update: bool = False) -> Invitation | None:
    invitations = Invitation.objects.select_related("wave__survey", "organisation")
    if for_update:
        # Lock only the invitation: locking the joined wave and survey rows too would make
        # every submission to a wave wait for the one before it.
        invitations = invitations.select_for_update(of=("self",))
    return invitations.filter(token_hash=token_digest(token)).first()


# Each process keeps the latest question lists of a few surveys: reading them costs more than
# the rest of a submission. Every edit of a survey moves its `updated_at` (editing.py), which
# the submission reads with the invitation, so a changed survey is never served from here.
_QUESTION_CACHE: dict[tuple[int, object], list[Question]] = {}
_QUESTION_CACHE_SIZE = 16


def cached_answer_questions(survey: Survey) -> list[Question]:
    key = (survey.pk, survey.updated_at)
    questions = _QUESTION_CACHE.get(key)
    if questions is None:
        questions = answer_questions(survey)
        if len(_QUESTION_CACHE) >= _QUESTION_CACHE_SIZE:
            _QUESTION_CACHE.clear()
        _QUESTION_CACHE[key] = questions
    return questions


def answer_questions(survey: Survey) -> list[Question]:
    """Every question that holds an answer, in order (matrix items in place of their matrix)."""
    questions = (
        survey.active_questions()
        .exclude(type=Question.Type.MATRIX)
        .select_related("section", "show_if_question", "parent")
        .prefetch_related("choices", "parent__choices")
    )
    # Matrix items take their matrix's place in the section, so the order is made here.
    ordered = sorted(
        questions,
        key=lambda q: (
            q.section.order,
            q.section_id,
            (q.parent.order if q.parent_id else q.order),
            (q.order if q.parent_id else -1),
            q.pk,
        ),
    )
    return ordered


def refusal_for(invitation: Invitation | None, *, at=None) -> SubmissionRefused | None:
    """Why this link cannot be used to answer now, or None."""
    if invitation is None:
        return SubmissionRefused(
            "unknown_token",
            _("This answer link is not valid. Check that the whole link was copied."),
        )
    wave = invitation.wave
    if invitation.answered:
        return refusal_for_used()
    at = at or timezone.now()
    if at < wave.opens_at:
        return SubmissionRefused(
            "not_open",
            _("The survey opens on %(date)s.")
            % {"date": timezone.localtime(wave.opens_at).strftime("%d.%m.%Y %H:%M")},
        )
    if wave.has_closed(at):
        return SubmissionRefused(
            "closed",
            _("The survey closed on %(date)s.")
            % {"date": timezone.localtime(wave.closes_at).strftime("%d.%m.%Y %H:%M")},
        )
    if (
        wave.is_per_organisation
        and AnsweredOrganisation.objects.filter(
            wave=wave, organisation=invitation.organisation
        ).exists()
    ):
        return organisation_answered(invitation)
    return None


def organisation_answered(invitation: Invitation) -> SubmissionRefused:
    invited = Invitation.objects.filter(
        wave=invitation.wave, organisation=invitation.organisation
    ).order_by("email")
    names = ", ".join(i.name or i.email for i in invited)
    message = _(
        "%(organisation)s has already answered. This survey takes one answer per organisation; "
        "it may be given by one of the people invited for it: %(names)s."
    ) % {"organisation": invitation.organisation.name, "names": names}
    if invitation.wave.organiser_email:
        message += " " + _("To correct the answer, contact %(email)s.") % {
            "email": invitation.wave.organiser_email
        }
    return SubmissionRefused("organisation_answered", message)


# -- answering ----------------------------------------------------------------------------------


def answered_now(invitation: Invitation) -> bool:
    """Whether the link has been used, read afresh (another request may just have submitted)."""
    return (
        Invitation.objects.filter(pk=invitation.pk, used=True).exists()
        or SpentToken.objects.filter(digest=invitation.spent_digest).exists()
    )


def save_draft(*, invitation: Invitation, raw: dict[str, Any]) -> None:
    """Keep what the respondent has entered so far, as entered, so that nothing is lost.

    Never for a used link: a second click of Submit may arrive here after the first request has
    submitted and deleted the draft, so the link is checked again after writing.
    """
    if not raw or answered_now(invitation):
        return
    key = invitation.draft_key
    with transaction.atomic():
        current = AnswerDraft.objects.select_for_update().filter(key=key).first()
        answers = {**(current.answers if current else {}), **raw}
        AnswerDraft.objects.update_or_create(
            key=key, defaults={"wave_id": invitation.wave_id, "answers": answers}
        )
    if answered_now(invitation):
        AnswerDraft.objects.filter(key=key).delete()


@transaction.atomic
def submit_response(*, token: str, answers: dict[str, Any], api: bool = False) -> Response:
    """Store one response from an invitation, or refuse with a reason.

    One transaction: either the response with all its answers is stored and the link is spent,
    or nothing changes. A double submit waits for the first and is then refused as already
    answered.

    In an identified wave the invitation row is locked and marked used. In an anonymous wave
    the invitation row is not touched at all, not even locked (a lock writes the transaction
    id into the row): a SpentToken row, keyed so that only SECRET_KEY matches it to the link,
    spends it, and the daily job marks invitations used in batches later.
    """
    probe = find_invitation(token)
    anonymous = probe is not None and probe.wave.is_anonymous
    invitation = probe if anonymous else find_invitation(token, for_update=True)
    refusal = refusal_for(invitation)
    if refusal:
        raise refusal
    wave = invitation.wave
    questions = cached_answer_questions(wave.survey)
    checked, errors = check_answers(questions, answers, reject_unknown=api)
    if errors:
        raise SubmissionRefused("invalid", _("Some answers need to be corrected."), errors=errors)
    position_question = next((q for q in questions if q.type == Question.Type.POSITION), None)
    position = invitation.position
    if position_question and position_question.key in checked:
        position = checked.pop(position_question.key).choices[0]
    if anonymous:
        try:
            with transaction.atomic():
                SpentToken.objects.create(digest=invitation.spent_digest, wave=wave)
        except IntegrityError:
            raise refusal_for_used() from None
    if wave.is_per_organisation:
        try:
            with transaction.atomic():
                AnsweredOrganisation.objects.create(wave=wave, organisation=invitation.organisation)
        except IntegrityError:
            raise organisation_answered(invitation) from None
    organisation = invitation.organisation
    response = Response.objects.create(
        wave=wave,
        organisation=organisation,
        area_id=organisation.area_id or (organisation.pk if organisation.is_area else None),
        position=position,
        submitted_on=timezone.localdate(),
        respondent_email="" if wave.is_anonymous else invitation.email,
        respondent_name="" if wave.is_anonymous else invitation.name,
    )
    by_key = {q.key: q for q in questions}
    stored = Answer.objects.bulk_create(
        [
            Answer(
                response=response,
                question=by_key[key],
                scale_value=a.scale_value,
                cant_say=a.cant_say,
                number=a.number,
                text=a.text,
                choices=a.choices,
                other_text=a.other_text,
            )
            for key, a in checked.items()
        ]
    )
    area = organisation if organisation.is_area else organisation.area
    tallies.add(
        response=response,
        answers=stored,
        area_code=area.code if area else "",
        kind=organisation.kind,
    )
    AnswerDraft.objects.filter(key=invitation.draft_key).delete()
    if not anonymous:
        invitation.used = True
        invitation.save(update_fields=["used"])
    return response


def refusal_for_used() -> SubmissionRefused:
    return SubmissionRefused(
        "already_answered", _("This link has already been used to answer. Thank you!")
    )


def mark_answered_invitations(*, now=None, batch: int | None = None) -> int:
    """Mark anonymously answered invitations used, in batches that hide who answered when.

    An open wave marks a random part of its answered links and always keeps `batch` of them
    back, so each batch mixes answers from different times and the last one, at the close, is
    no smaller than the others. A closed wave marks all that are left. Returns how many were
    marked.
    """
    now = now or timezone.now()
    batch = batch or settings.ANSWERED_MARK_BATCH
    marked = 0
    chooser = random.SystemRandom()
    for wave in Wave.objects.filter(spent_tokens__isnull=False).distinct():
        answered = unmarked_answered_ids(wave.pk)
        if wave.has_closed(now):
            chosen = answered
        elif len(answered) >= 2 * batch:
            chosen = set(chooser.sample(sorted(answered), len(answered) - batch))
        else:
            continue
        digests = [
            i.spent_digest for i in Invitation.objects.filter(pk__in=chosen).only("token_hash")
        ]
        with transaction.atomic():
            Invitation.objects.filter(pk__in=chosen).update(used=True)
            if wave.has_closed(now):
                # Links of recipients erased meanwhile have no invitation left to mark.
                SpentToken.objects.filter(wave=wave).delete()
            else:
                SpentToken.objects.filter(digest__in=digests).delete()
        marked += len(chosen)
    return marked


# -- recipients ---------------------------------------------------------------------------------


def _new_invitation(**values: Any) -> Invitation:
    invitation = Invitation(nonce=secrets.token_hex(16), **values)
    # A placeholder digest keeps the unique column filled until the primary key is known.
    invitation.token_hash = secrets.token_hex(32)
    return invitation


def _finish_tokens(invitations: list[Invitation]) -> None:
    for invitation in invitations:
        invitation.token_hash = token_digest(invitation.token())
    Invitation.objects.bulk_update(invitations, ["token_hash"], batch_size=500)


def audience_memberships(wave: Wave) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user__is_active=True).select_related(
        "user", "organisation"
    )
    if wave.audience_kinds:
        memberships = memberships.filter(organisation__kind__in=wave.audience_kinds)
    if wave.audience_positions:
        memberships = memberships.filter(position__in=wave.audience_positions)
    return memberships.filter(
        Q(organisation__ended_on__isnull=True) | Q(organisation__ended_on__gte=timezone.localdate())
    )


@transaction.atomic
def invite_registry_people(*, wave: Wave, actor: Any) -> int:
    """Invite everyone in the registry who fits the wave's audience and is not yet invited."""
    existing = set(wave.invitations.values_list("email", flat=True))
    created = []
    for membership in audience_memberships(wave):
        email = membership.user.email.lower()
        if email in existing:
            continue
        existing.add(email)
        created.append(
            _new_invitation(
                wave=wave,
                email=email,
                name=membership.user.get_full_name(),
                organisation=membership.organisation,
                position=membership.position,
                language=membership.user.preferred_language,
                user=membership.user,
            )
        )
    Invitation.objects.bulk_create(created)
    _finish_tokens(created)
    if created:
        audit.record(
            obj=wave,
            action="recipients added",
            actor=actor,
            changes={"recipients": [None, len(created)]},
        )
    return len(created)


def position_values(wave: Wave) -> list[str]:
    """Positions a recipient may have: the survey's position choices, else the audience's."""
    question = wave.survey.active_questions().filter(type=Question.Type.POSITION).first()
    if question:
        return [c.value for c in question.choices.all()]
    return list(wave.audience_positions) or list(Membership.Position.values)


@transaction.atomic
def import_recipients(*, wave: Wave, actor: Any, name: str, content: bytes) -> int:
    """Add recipients from a CSV/XLSX list; every row is checked first, all or nothing."""
    rows = tables.read_table(
        name,
        content,
        required=("email", "organisation_code", "position"),
        allowed=RECIPIENT_COLUMNS,
    )
    organisations = Organisation.objects.active()
    if wave.audience_kinds:
        organisations = organisations.filter(kind__in=wave.audience_kinds)
    by_code: dict[str, Organisation] = {}
    for org in organisations.exclude(code=""):
        # Municipality codes are three digits, area codes two; a spreadsheet may drop zeros.
        by_code.setdefault(org.code, org)
    positions = position_values(wave)
    existing = set(wave.invitations.values_list("email", flat=True))
    languages = {"fi", "sv", "en"}
    errors: list[RowError] = []
    prepared: list[Invitation] = []
    seen: set[str] = set()
    for row in rows:
        number = row.line
        email = row.get("email", "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(number, "email", _("Not a valid e-mail address.")))
        if email in seen:
            errors.append(RowError(number, "email", _("The same address is twice in the file.")))
        elif email in existing:
            errors.append(
                RowError(number, "email", _("This address is already invited to the wave."))
            )
        seen.add(email)
        code = row.get("organisation_code", "").strip()
        organisation = by_code.get(code) or by_code.get(code.zfill(3)) or by_code.get(code.zfill(2))
        if organisation is None:
            errors.append(
                RowError(
                    number,
                    "organisation_code",
                    _("No organisation in this wave's audience has the code “%s”.") % code,
                )
            )
        position = row.get("position", "").strip()
        if position not in positions:
            errors.append(
                RowError(
                    number,
                    "position",
                    _("Must be one of: %(values)s.") % {"values": ", ".join(positions)},
                )
            )
        language = row.get("language", "").strip().lower() or "fi"
        if language not in languages:
            errors.append(RowError(number, "language", _("Must be one of: fi, sv, en.")))
        prepared.append(
            _new_invitation(
                wave=wave,
                email=email,
                name=row.get("name", "").strip(),
                organisation=organisation,
                position=position,
                language=language,
            )
        )
    if errors:
        raise ImportRejected(errors)
    if not prepared:
        raise ImportRejected([RowError(2, "", _("The file has no rows to import."))])
    Invitation.objects.bulk_create(prepared)
    _finish_tokens(prepared)
    audit.record(
        obj=wave,
        action="recipients added",
        actor=actor,
        changes={"recipients": [None, len(prepared)]},
    )
    return len(prepared)


# -- sending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queued:
    count: int


def queue_invitations(*, wave: Wave, actor: Any) -> Queued:
    """Queue the invitations not yet sent; a worker sends them. The request only marks them."""
    from .tasks import send_wave_emails

    with transaction.atomic():
        ids = list(
            wave.invitations.filter(
                # "queued" too: if a worker stopped mid-batch, pressing send again picks them up;
                # the worker skips any that were sent meanwhile.
                send_status__in=[
                    Invitation.SendStatus.NOT_SENT,
                    Invitation.SendStatus.QUEUED,
                    Invitation.SendStatus.FAILED,
                ],
                used=False,
            )
            .exclude(pk__in=unmarked_answered_ids(wave.pk))
            .values_list("pk", flat=True)
        )
        Invitation.objects.filter(pk__in=ids).update(send_status=Invitation.SendStatus.QUEUED)
        if ids:
            audit.record(
                obj=wave,
                action="invitations queued",
                actor=actor,
                changes={"queued": [None, len(ids)]},
            )
    if ids:
        transaction.on_commit(lambda: send_wave_emails.enqueue(wave.pk, "invitation", ids))
    return Queued(len(ids))


def reminder_candidates(wave: Wave, *, scheduled: bool, now=None) -> QuerySet[Invitation]:
    """Unanswered, already invited, with reminders left; on a schedule only when due."""
    now = now or timezone.now()
    candidates = wave.invitations.filter(
        used=False,
        send_status=Invitation.SendStatus.SENT,
        reminders_sent__lt=wave.max_reminders,
    ).exclude(pk__in=unmarked_answered_ids(wave.pk))
    if scheduled:
        if not wave.remind_every_days:
            return candidates.none()
        due = now - timedelta(days=wave.remind_every_days)
        candidates = candidates.filter(
            Q(last_reminded_at__lte=due) | Q(last_reminded_at__isnull=True, sent_at__lte=due)
        )
    return candidates


def queue_reminders(*, wave: Wave, actor: Any = None, scheduled: bool = False, now=None) -> Queued:
    from .tasks import send_wave_emails

    now = now or timezone.now()
    if not wave.is_open(now):
        return Queued(0)
    ids = list(reminder_candidates(wave, scheduled=scheduled, now=now).values_list("pk", flat=True))
    if ids:
        audit.record(
            obj=wave,
            action="reminders queued",
            actor=actor,
            actor_label="" if actor else "schedule",
            changes={"reminders": [None, len(ids)]},
        )
        transaction.on_commit(lambda: send_wave_emails.enqueue(wave.pk, "reminder", ids))
    return Queued(len(ids))


def clear_drafts_of_closed_waves(*, now=None) -> int:
    """Unsubmitted answers are kept only while the wave is open."""
    now = now or timezone.now()
    deleted, _ = AnswerDraft.objects.filter(wave__closes_at__lte=now).delete()
    return deleted


def queue_scheduled_reminders(*, now=None) -> int:
    """For the daily job: remind in every open wave whose schedule says so."""
    now = now or timezone.now()
    total = 0
    for wave in Wave.objects.filter(
        opens_at__lte=now, closes_at__gt=now, remind_every_days__isnull=False
    ):
        total += queue_reminders(wave=wave, scheduled=True, now=now).count
    return total
