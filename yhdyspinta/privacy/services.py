"""Personal data: what is stored about a person, erasing a person, and retention of contacts.

Only work contact details are kept (name, job title, unit, work e-mail, work phone). Three
operations look after them:

- `personal_data`: everything stored about the signed-in person, for the "My data" page and its
  JSON download (the right of access).
- `erase_person`: staff erase a person found by e-mail (the right to erasure). Their entries in
  the responsibility tables stay as vacancies, the contacts are deleted, a user account is
  anonymised, and every other place that holds their details is cleared, the audit log included.
  What is left is one erasure record per affected area, with counts only.
- `prune_ended_contacts`: the retention rule, run by `manage.py remove_personal_data`: contacts
  who ended more than N months ago are removed in the same way.

How the audit log is cleared: the audit log keeps people's names in `object_repr` (a contact's
name), in `changes` (a responsibility entry's `"contact"`, a contact's old and new details) and,
for system jobs, in `actor_label`. The rows are read in Python (`.iterator()`) and each string,
nested ones inside `changes` too, has the person's identifying strings (e-mail addresses,
"first last" names, phone numbers) replaced by "[erased]". Not with a database `LIKE`, because
(1) `changes` is JSON and the JSON encoder stores "ä" as "\\u00e4", so a Finnish name never
matches its escaped form; (2) SQLite's `LIKE` ignores case only for ASCII letters; (3) the
replacement has to walk the nested structure anyway. Reading the whole log is slow on a large
log, but erasure is a rare operation by staff, and a missed occurrence is worse than a slow page.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yhdyspinta.accounts.models import Membership, User
from yhdyspinta.core import audit
from yhdyspinta.core.models import AuditEntry
from yhdyspinta.registry.models import Organisation
from yhdyspinta.responsibilities.models import Contact, Responsibility
from yhdyspinta.surveys.models import Answer, AnswerDraft, Invitation, Response, Wave

ERASED = "[erased]"
PLACEHOLDER_DOMAIN = "erased.invalid"
RETENTION_ACTOR = "retention"

# Fields of a contact or an account that describe the person: in the audit entries about their
# own records, every value of these is erased, whatever it was (old names, old numbers).
PERSONAL_KEYS = frozenset({"first_name", "last_name", "title", "unit", "email", "phone", "user"})
# Fields of shared records (a responsibility entry) whose values name a person.
PERSON_REFERENCE_KEYS = frozenset({"contact", "user", "confirmed_by"})
# Models whose rows describe one person: another person's entries of these are not shown in
# someone's own data.
PERSON_MODELS = (Contact, User, Membership, Invitation, Response)


# -- finding a person ---------------------------------------------------------------------------


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _any_iexact(field_name: str, values: Iterable[str]) -> Q:
    query = Q(pk__in=[])
    for value in values:
        query |= Q(**{f"{field_name}__iexact": value})
    return query


@dataclass
class Person:
    """Everything found under one e-mail address."""

    email: str
    user: User | None
    contacts: list[Contact]
    emails: set[str]

    @property
    def contact_ids(self) -> list[int]:
        return [c.pk for c in self.contacts]

    def entries(self) -> models.QuerySet[Responsibility]:
        return Responsibility.objects.filter(contact_id__in=self.contact_ids)

    def invitations(self) -> models.QuerySet[Invitation]:
        query = _any_iexact("email", self.emails)
        if self.user is not None:
            query |= Q(user=self.user)
        return Invitation.objects.filter(query)

    def responses(self) -> models.QuerySet[Response]:
        return Response.objects.filter(_any_iexact("respondent_email", self.emails))


def find_person(email: str) -> Person:
    """The user account with this e-mail (if any), and every contact with the e-mail or linked
    to the account; their e-mail addresses (an account and its contacts may differ)."""
    email = _normalise_email(email)
    user = User.objects.filter(email__iexact=email).first() if email else None
    emails = {email} if email else set()
    if user is not None:
        emails.add(user.email.lower())
    query = _any_iexact("email", emails)
    if user is not None:
        query |= Q(user=user)
    contacts = list(Contact.objects.filter(query).select_related("organisation").order_by("pk"))
    emails |= {c.email.lower() for c in contacts if c.email}
    return Person(email=email, user=user, contacts=contacts, emails=emails)


# -- identifying strings and replacing them -----------------------------------------------------


def _name(first: str, last: str) -> list[str]:
    first, last = (first or "").strip(), (last or "").strip()
    if not first or not last:
        # A single name would match far too much of the log.
        return []
    return [f"{first} {last}", f"{last} {first}"]


def _phone(phone: str) -> list[str]:
    phone = (phone or "").strip()
    return [phone] if sum(ch.isdigit() for ch in phone) >= 5 else []


def _full_name(name: str) -> list[str]:
    name = " ".join((name or "").split())
    return [name] if len(name.split(" ")) >= 2 else []


def _audit_of(model: type[models.Model], ids: Iterable[Any]) -> models.QuerySet[AuditEntry]:
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id__in=[str(i) for i in ids])


@dataclass
class Identifiers:
    """The strings that identify a person: e-mail addresses, phone numbers, names."""

    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def all(self) -> list[str]:
        return sorted(self.emails | self.phones | self.names, key=lambda s: (-len(s), s))

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones or self.names)


def _identifiers(
    contacts: Iterable[Contact], user: User | None, extra_emails: Iterable[str] = ()
) -> Identifiers:
    """The person's strings, with the old values their own records' audit entries remember
    (a changed phone number or last name is still in older entries elsewhere)."""
    contacts = list(contacts)
    ids = Identifiers(emails={e.lower() for e in extra_emails if e})
    firsts: set[str] = set()
    lasts: set[str] = set()
    phones: set[str] = set()
    records = [(c.first_name, c.last_name, c.email, c.phone) for c in contacts]
    if user is not None:
        records.append((user.first_name, user.last_name, user.email, user.phone))
    for first, last, email, phone in records:
        ids.names |= set(_name(first, last))
        if first and last:
            firsts.add(first.strip())
            lasts.add(last.strip())
        if email:
            ids.emails.add(email.lower())
        phones |= set(_phone(phone))
    history = _audit_of(Contact, [c.pk for c in contacts])
    if user is not None:
        history = history | _audit_of(User, [user.pk])
    for changes in history.values_list("changes", flat=True):
        for key, values in (changes or {}).items():
            if not isinstance(values, list):
                continue
            for value in values:
                if not isinstance(value, str) or not value.strip():
                    continue
                if key == "first_name":
                    firsts.add(value.strip())
                elif key == "last_name":
                    lasts.add(value.strip())
                elif key == "email" and "@" in value:
                    ids.emails.add(value.strip().lower())
                elif key == "phone":
                    phones |= set(_phone(value))
    for first in firsts:
        for last in lasts:
            ids.names |= set(_name(first, last))
    ids.phones = phones
    ids.emails = {e for e in ids.emails if "@" in e}
    return ids


class Scrubber:
    """Replaces identifying strings with "[erased]" in text and in nested JSON values.

    Case is ignored. A match must not be part of a longer word or address: erasing
    "anna@example.org" leaves "joanna@example.org" alone.
    """

    def __init__(self, strings: Iterable[str]):
        strings = sorted({s for s in strings if s}, key=lambda s: (-len(s), s))
        self.pattern = (
            re.compile(
                "|".join(rf"(?<![\w.+-]){re.escape(s)}(?![\w-]|\.[\w-])" for s in strings),
                re.IGNORECASE,
            )
            if strings
            else None
        )

    def text(self, value: str) -> str:
        if self.pattern is None or not value:
            return value
        return self.pattern.sub(ERASED, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.value(v) for k, v in value.items()}
        return value

    def rows(self, queryset: models.QuerySet, fields: list[str]) -> int:
        """Scrub these fields of every row of the queryset; return how many rows changed."""
        if self.pattern is None:
            return 0
        changed = []
        for obj in queryset.only("pk", *fields).iterator(chunk_size=1000):
            dirty = False
            for name in fields:
                old = getattr(obj, name)
                new = self.value(old)
                if new != old:
                    setattr(obj, name, new)
                    dirty = True
            if dirty:
                changed.append(obj)
        if changed:
            queryset.model.objects.bulk_update(changed, fields, batch_size=500)
        return len(changed)


def _erase_own_records_audit(contact_ids: list[int], user: User | None) -> int:
    """The audit entries about the person's own contact and account records: the object's
    name and every personal value, whatever it was, become "[erased]"."""
    entries = _audit_of(Contact, contact_ids)
    if user is not None:
        entries = entries | _audit_of(User, [user.pk])
    changed = []
    for entry in entries.only("pk", "object_repr", "changes").iterator():
        entry.object_repr = ERASED
        changes = {}
        for key, values in (entry.changes or {}).items():
            if key in PERSONAL_KEYS and isinstance(values, list):
                values = [ERASED if v not in (None, "") else v for v in values]
            changes[key] = values
        entry.changes = changes
        changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["object_repr", "changes"], batch_size=500)
    return len(changed)


def _scrub_audit_log(ids: Identifiers, *, spare_names_of: Iterable[tuple[int, str]] = ()) -> int:
    """Replace the person's strings in every audit entry (see the module docstring for why
    in Python). Entries about the records in `spare_names_of` (another person's contact or
    account, a namesake's) keep names; e-mail addresses and phone numbers go everywhere."""
    everything = Scrubber(ids.all())
    no_names = Scrubber(ids.emails | ids.phones)
    spared = set(spare_names_of)
    fields = ["object_repr", "actor_label", "changes"]
    changed = []
    rows = AuditEntry.objects.only("pk", "content_type_id", "object_id", *fields)
    for entry in rows.iterator(chunk_size=2000):
        scrubber = no_names if (entry.content_type_id, entry.object_id) in spared else everything
        dirty = False
        for name in fields:
            old = getattr(entry, name)
            new = scrubber.value(old)
            if new != old:
                setattr(entry, name, new)
                dirty = True
        if dirty:
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, fields, batch_size=500)
    return len(changed)


def _namesakes(ids: Identifiers, exclude_contacts: list[int], exclude_user: User | None):
    """(content type, object id) of other people's contacts and accounts with one of the names:
    their own history keeps their name."""
    contact_ct = ContentType.objects.get_for_model(Contact).pk
    user_ct = ContentType.objects.get_for_model(User).pk
    lowered = {n.casefold() for n in ids.names}
    found = []
    for model, ct in ((Contact, contact_ct), (User, user_ct)):
        rows = model.objects.exclude(first_name="").exclude(last_name="")
        if model is Contact:
            rows = rows.exclude(pk__in=exclude_contacts)
        elif exclude_user is not None:
            rows = rows.exclude(pk=exclude_user.pk)
        for pk, first, last in rows.values_list("pk", "first_name", "last_name").iterator():
            if f"{first.strip()} {last.strip()}".casefold() in lowered:
                found.append((ct, str(pk)))
    return found


# -- the residual check -------------------------------------------------------------------------


def remaining_occurrences(strings: Iterable[str]) -> list[str]:
    """Tables and columns that still contain one of the strings, read with the database's own
    case-insensitive search (a last check, for data this module does not know about yet)."""
    strings = [s for s in strings if s]
    if not strings:
        return []
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField | models.JSONField):
                continue
            query = Q()
            for s in strings:
                query |= Q(**{f"{f.name}__icontains": s})
            if model._default_manager.filter(query).exists():
                found.append(f"{model._meta.label}.{f.name}")
    return found


# -- erasure ------------------------------------------------------------------------------------


@dataclass
class ErasurePreview:
    email: str
    has_account: bool
    contacts: list[dict[str, Any]]
    entries: int
    memberships: int
    invitations: int
    responses: int

    @property
    def found(self) -> bool:
        return bool(
            self.has_account or self.contacts or self.entries or self.invitations or self.responses
        )


def erasure_preview(email: str) -> ErasurePreview:
    """What `erase_person` would change, without changing anything."""
    person = find_person(email)
    counts = Counter(person.entries().values_list("contact_id", flat=True))
    return ErasurePreview(
        email=person.email,
        has_account=person.user is not None,
        contacts=[
            {
                "name": str(c),
                "organisation": c.organisation.name,
                "email": c.email,
                "entries": counts.get(c.pk, 0),
            }
            for c in person.contacts
        ],
        entries=sum(counts.values()),
        memberships=person.user.memberships.count() if person.user else 0,
        invitations=person.invitations().count(),
        responses=person.responses().count(),
    )


@dataclass
class ErasureReport:
    entries_vacated: int = 0
    contacts_removed: int = 0
    account_anonymised: bool = False
    memberships_removed: int = 0
    invitations_anonymised: int = 0
    responses_anonymised: int = 0
    audit_entries_cleared: int = 0
    other_rows_cleared: int = 0
    # "app.Model.field" where one of the person's strings was still found afterwards.
    remaining: list[str] = field(default_factory=list)


def _placeholder(user: User | None, suffix: str = "") -> str:
    base = f"erased-{user.pk}" if user is not None else "erased"
    return f"{base}{suffix}@{PLACEHOLDER_DOMAIN}"


def _anonymise_account(user: User) -> int:
    """The account stays (audit entries and confirmations point at it) but tells nothing."""
    user.email = _placeholder(user)
    user.first_name = user.last_name = user.title = user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    memberships, _details = Membership.objects.filter(user=user).delete()
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=user).delete()
    _end_sessions(user)
    # What sign-in keeps about the person: sessions (address, browser), the provider's
    # connection, the second factor, and the invitations to join sent to the address.
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from allauth.usersessions.models import UserSession

    from yhdyspinta.accounts.models import Invitation as JoinInvitation

    UserSession.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    JoinInvitation.objects.filter(accepted_by=user).delete()
    return memberships


def _end_sessions(user: User) -> None:
    """Sessions are signed blobs: read each to find the person's (rare, and a short table)."""
    from django.conf import settings

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    from django.contrib.sessions.models import Session

    ended = [
        s.pk
        for s in Session.objects.iterator()
        if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()


def _anonymise_invitations(person: Person) -> int:
    """The invitation stays (the response rate counts it) with a placeholder address; the
    placeholder is unique per wave, as the model requires."""
    count = 0
    for invitation in person.invitations().order_by("pk"):
        email = (
            _placeholder(person.user)
            if person.user
            else _placeholder(None, f"-invitation-{invitation.pk}")
        )
        taken = (
            Invitation.objects.filter(wave_id=invitation.wave_id, email=email)
            .exclude(pk=invitation.pk)
            .exists()
        )
        if taken:
            email = _placeholder(person.user, f"-{invitation.pk}")
        invitation.email = email
        invitation.name = ""
        invitation.user = None
        invitation.last_error = ""
        invitation.save(update_fields=["email", "name", "user", "last_error"])
        AnswerDraft.objects.filter(key=invitation.draft_key).delete()
        count += 1
    return count


def _clear_elsewhere(person: Person, ids: Identifiers) -> int:
    """Other places that hold an e-mail address or free text: cleared or scrubbed."""
    emails = ids.emails
    scrubber = Scrubber(ids.all())
    count = 0
    # Identified survey responses: the response and its answers stay, the person goes.
    count += Organisation.objects.filter(_any_iexact("contact_email", emails)).update(
        contact_email=""
    )
    count += Wave.objects.filter(_any_iexact("organiser_email", emails)).update(organiser_email="")
    # Invitations to join an organisation: an offer made to the address, nothing else.
    from yhdyspinta.accounts.models import Invitation as JoinInvitation

    count += JoinInvitation.objects.filter(_any_iexact("email", emails)).delete()[0]
    # Free text others wrote: mandates, open answers, saved drafts, failed tasks, admin history.
    count += scrubber.rows(Responsibility.objects.exclude(mandate=""), ["mandate"])
    # Open answers can be many: the database picks the candidates (on SQLite, case is ignored
    # only for ASCII letters, so "ÄIJÄLÄ" would not find "Äijälä"; PostgreSQL ignores it fully).
    answer_query = Q(pk__in=[])
    for s in ids.all():
        answer_query |= Q(text__icontains=s) | Q(other_text__icontains=s)
    count += scrubber.rows(Answer.objects.filter(answer_query), ["text", "other_text"])
    count += scrubber.rows(AnswerDraft.objects.all(), ["answers"])
    count += scrubber.rows(Invitation.objects.exclude(last_error=""), ["last_error"])
    if apps.is_installed("django.contrib.admin"):
        from django.contrib.admin.models import LogEntry

        count += scrubber.rows(LogEntry.objects.all(), ["object_repr", "change_message"])
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        count += scrubber.rows(
            DBTaskResult.objects.all(), ["args_kwargs", "return_value", "traceback"]
        )
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            deleted, _details = model.objects.filter(_any_iexact("username", emails)).delete()
            count += deleted
    return count


def _record(
    targets: dict[models.Model, dict[str, int]], *, actor: Any, actor_label: str, action: str
) -> None:
    for obj, counts in targets.items():
        audit.record(
            obj=obj,
            action=action,
            actor=actor,
            actor_label=actor_label,
            changes={name: [None, n] for name, n in counts.items()},
        )


@transaction.atomic
def erase_person(*, actor: Any, email: str) -> ErasureReport:
    """Erase everything stored about the person with this e-mail (platform administrators).

    - Their entries stay in the tables as vacancies (contact emptied); their contacts go.
    - A user account is kept, so that what points at it stays valid, but anonymised
      (placeholder e-mail, no names, no password, inactive), and its memberships, API token and
      sessions go.
    - Survey invitations keep their place in the response rate with a placeholder address;
      responses of identified waves keep their answers but lose the name and address.
    - The audit log, mandates, open answers, saved drafts, the admin's history and failed
      tasks have the person's strings replaced by "[erased]"; login records naming them go.
    - The erasure is recorded, with counts only, in the history of each area whose table had
      entries of theirs; failing that, of the organisations of their contacts, of the
      anonymised account, or of the staff member who erased.
    """
    if not getattr(actor, "is_platform_admin", False):
        raise PermissionDenied(_("Only the association's staff can erase people."))
    email = _normalise_email(email)
    if not email:
        raise ValidationError({"email": _("Enter the person's e-mail address.")})
    if getattr(actor, "email", "").lower() == email:
        raise ValidationError({"email": _("You cannot erase your own account.")})
    person = find_person(email)
    user = person.user
    ids = _identifiers(person.contacts, user, person.emails)
    report = ErasureReport()

    entries = list(person.entries().values_list("pk", "area_id", "contact_id"))
    vacated_by_area = Counter(area_id for _pk, area_id, _c in entries)
    contacts_by_area: dict[int, set[int]] = {}
    for _pk, area_id, contact_id in entries:
        contacts_by_area.setdefault(area_id, set()).add(contact_id)
    report.entries_vacated = Responsibility.objects.filter(pk__in=[e[0] for e in entries]).update(
        contact=None
    )

    spared = _namesakes(ids, person.contact_ids, user)
    report.audit_entries_cleared = _erase_own_records_audit(person.contact_ids, user)
    report.audit_entries_cleared += _scrub_audit_log(ids, spare_names_of=spared)

    contact_orgs = Counter(c.organisation_id for c in person.contacts)
    Contact.objects.filter(pk__in=person.contact_ids).delete()
    report.contacts_removed = len(person.contact_ids)

    if user is not None:
        report.memberships_removed = _anonymise_account(user)
        report.account_anonymised = True
    report.invitations_anonymised = _anonymise_invitations(person)
    report.responses_anonymised = person.responses().update(
        respondent_email=_placeholder(user), respondent_name=""
    )
    report.other_rows_cleared = _clear_elsewhere(person, ids)
    report.remaining = remaining_occurrences(ids.all())

    targets: dict[models.Model, dict[str, int]] = {}
    for area in Organisation.objects.filter(pk__in=vacated_by_area).order_by("pk"):
        targets[area] = {
            "entries made vacant": vacated_by_area[area.pk],
            "contacts removed": len(contacts_by_area[area.pk]),
        }
    if not targets:
        for org in Organisation.objects.filter(pk__in=contact_orgs).order_by("pk"):
            targets[org] = {"entries made vacant": 0, "contacts removed": contact_orgs[org.pk]}
    if not targets:
        target = user if user is not None else actor
        targets[target] = {"entries made vacant": 0, "contacts removed": 0}
    if report.account_anonymised:
        for counts in targets.values():
            counts["accounts anonymised"] = 1
    _record(targets, actor=actor, actor_label="", action="erased")
    return report


# -- retention ----------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contacts_to_prune(*, months: int, today: date | None = None) -> list[Contact]:
    """Contacts whose time ended more than `months` months ago: they left (`left_on`) before
    then; or every entry of theirs ended (`valid_until`) before then, so none is valid now or
    later; or they have no entries at all and nobody has touched them since then."""
    today = today or timezone.localdate()
    cutoff = months_before(today, months)
    cutoff_time = timezone.make_aware(datetime.combine(cutoff, datetime.min.time()))
    not_ended = Q(responsibilities__valid_until__isnull=True) | Q(
        responsibilities__valid_until__gte=cutoff
    )
    contacts = Contact.objects.annotate(
        n_entries=Count("responsibilities"),
        n_not_ended=Count("responsibilities", filter=not_ended),
    ).filter(
        Q(left_on__lt=cutoff)
        | Q(n_entries__gt=0, n_not_ended=0)
        | Q(n_entries=0, updated_at__lt=cutoff_time)
    )
    return list(contacts.select_related("organisation").order_by("organisation__name", "pk"))


def _still_in_use(ids: Identifiers, removed: list[int]) -> Identifiers:
    """Of the strings, those that still belong to someone kept (the same person in another
    organisation, an account): they stay in the log."""
    kept = Identifiers()
    others = Contact.objects.exclude(pk__in=removed)
    for email in ids.emails:
        if (
            others.filter(email__iexact=email).exists()
            or User.objects.filter(email__iexact=email).exists()
        ):
            kept.emails.add(email)
    for phone in ids.phones:
        if others.filter(phone=phone).exists() or User.objects.filter(phone=phone).exists():
            kept.phones.add(phone)
    people = [
        f"{first.strip()} {last.strip()}".casefold()
        for model in (others, User.objects.all())
        for first, last in model.values_list("first_name", "last_name").iterator()
    ]
    kept.names = {n for n in ids.names if n.casefold() in people}
    return kept


@transaction.atomic
def prune_ended_contacts(*, months: int, today: date | None = None) -> int:
    """Remove the contacts of `contacts_to_prune`; return how many.

    Their entries: an entry whose validity ended more than `months` months ago is deleted. Its
    owner ended it on purpose, so the gap was already seen, and a row with neither a person
    nor a current validity is history past the retention period (the audit log keeps that it
    existed). Any other entry of theirs (still valid, or ended recently, when the person left)
    stays as a vacancy, exactly as after an erasure, so that the gap shows until someone is
    named.

    The audit log loses their details as in an erasure, except strings that still belong to
    someone kept: the same person's contact in another organisation, or a user account.
    One audit entry per affected area (or per organisation, for contacts without entries)
    records the counts, with the system actor "retention".
    """
    today = today or timezone.localdate()
    cutoff = months_before(today, months)
    contacts = contacts_to_prune(months=months, today=today)
    if not contacts:
        return 0
    contact_ids = [c.pk for c in contacts]
    ids = _identifiers(contacts, None)
    kept = _still_in_use(ids, contact_ids)
    scrub = Identifiers(
        emails=ids.emails - kept.emails,
        phones=ids.phones - kept.phones,
        names=ids.names - kept.names,
    )

    entries = Responsibility.objects.filter(contact_id__in=contact_ids)
    removed_by_area: Counter[int] = Counter()
    vacated_by_area: Counter[int] = Counter()
    contacts_by_area: dict[int, set[int]] = {}
    for area_id, contact_id, valid_until in entries.values_list(
        "area_id", "contact_id", "valid_until"
    ):
        if valid_until is not None and valid_until < cutoff:
            removed_by_area[area_id] += 1
        else:
            vacated_by_area[area_id] += 1
        contacts_by_area.setdefault(area_id, set()).add(contact_id)
    entries.filter(valid_until__lt=cutoff).delete()
    entries.update(contact=None)

    _erase_own_records_audit(contact_ids, None)
    if scrub:
        _scrub_audit_log(scrub, spare_names_of=_namesakes(scrub, contact_ids, None))
        Scrubber(scrub.all()).rows(Responsibility.objects.exclude(mandate=""), ["mandate"])
    Contact.objects.filter(pk__in=contact_ids).delete()

    targets: dict[models.Model, dict[str, int]] = {}
    for area in Organisation.objects.filter(pk__in=contacts_by_area).order_by("pk"):
        targets[area] = {
            "contacts removed": len(contacts_by_area[area.pk]),
            "entries made vacant": vacated_by_area[area.pk],
            "ended entries removed": removed_by_area[area.pk],
        }
    with_entries = set().union(*contacts_by_area.values()) if contacts_by_area else set()
    without = Counter(c.organisation_id for c in contacts if c.pk not in with_entries)
    for org in Organisation.objects.filter(pk__in=without).order_by("pk"):
        counts = targets.setdefault(org, {"contacts removed": 0})
        counts["contacts removed"] += without[org.pk]
    _record(targets, actor=None, actor_label=RETENTION_ACTOR, action="erased")
    return len(contact_ids)


# -- a person's own data ------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(*, user: User) -> dict[str, Any]:
    """Everything stored about the signed-in person, by their account and their e-mail.

    The audit log part: changes they made, changes to their own contact details and account,
    and the history of the entries that name them.

    JSON-friendly: strings, numbers, booleans, lists and dicts. Each section has an
    explanation. Another person's details never appear: an audit entry the person made about
    someone else's record is shown without that record's name and values.
    """
    person = find_person(user.email)
    person.user = user  # the same account (e-mails are unique), as signed in
    own_names = {n.casefold() for n in _identifiers(person.contacts, user).names}

    memberships = [
        {
            "organisation": m.organisation.name,
            "position": m.get_position_display(),
            "permission_role": m.get_role_display(),
            "since": _iso(m.created_at),
        }
        for m in user.memberships.select_related("organisation").order_by("pk")
    ]

    entries_by_contact: dict[int, list[dict[str, Any]]] = {}
    for entry in person.entries().select_related("theme", "party", "area", "contact__user"):
        entries_by_contact.setdefault(entry.contact_id, []).append(
            {
                "theme": entry.theme.name,
                "party": entry.party.name,
                "area": entry.area.name,
                "role": entry.get_role_display(),
                "mandate": entry.mandate,
                "valid_from": _iso(entry.valid_from),
                "valid_until": _iso(entry.valid_until),
                "confirmed_at": _iso(entry.confirmed_at),
                "status": str(Responsibility.Status(entry.status()).label),
            }
        )
    contacts = [
        {
            "organisation": c.organisation.name,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "title": c.title,
            "unit": c.unit,
            "email": c.email,
            "phone": c.phone,
            "left_on": _iso(c.left_on),
            "linked_to_your_account": c.user_id == user.pk,
            "created_at": _iso(c.created_at),
            "updated_at": _iso(c.updated_at),
            "responsibilities": entries_by_contact.get(c.pk, []),
        }
        for c in person.contacts
    ]

    invitations = [
        {
            "survey": str(i.wave.survey),
            "wave": i.wave.name,
            "organisation": i.organisation.name,
            "email": i.email,
            "name": i.name,
            "position": i.position,
            "language": i.language,
            "sending": i.get_send_status_display(),
            "sent_at": _iso(i.sent_at),
            "reminders_sent": i.reminders_sent,
            "answered": i.answered,
            "has_saved_draft": bool(i.draft),
        }
        for i in person.invitations().select_related("wave__survey", "organisation").order_by("pk")
    ]
    responses = [
        {
            "survey": str(r.wave.survey),
            "wave": r.wave.name,
            "organisation": r.organisation.name,
            "submitted_on": _iso(r.submitted_on),
            "name": r.respondent_name,
            "email": r.respondent_email,
        }
        for r in person.responses().select_related("wave__survey", "organisation").order_by("pk")
    ]

    contact_ct = ContentType.objects.get_for_model(Contact)
    user_ct = ContentType.objects.get_for_model(User)
    own = {(contact_ct.pk, str(pk)) for pk in person.contact_ids} | {(user_ct.pk, str(user.pk))}
    person_cts = {ContentType.objects.get_for_model(m).pk for m in PERSON_MODELS}
    about_me = Q(content_type=contact_ct, object_id__in=[str(pk) for pk in person.contact_ids])
    about_me |= Q(content_type=user_ct, object_id=str(user.pk))
    # The entries that name them now (their history may name whoever held them before).
    about_me |= Q(
        content_type=ContentType.objects.get_for_model(Responsibility),
        object_id__in=[str(pk) for pk in person.entries().values_list("pk", flat=True)],
    )
    log = []
    for entry in (
        AuditEntry.objects.filter(Q(actor=user) | about_me)
        .select_related("content_type")
        .order_by("created_at", "pk")
    ):
        mine = (entry.content_type_id, entry.object_id) in own
        model = entry.content_type.model_class()
        kind = str(model._meta.verbose_name) if model else entry.content_type.model
        if mine or entry.content_type_id not in person_cts:
            obj = entry.object_repr
            changes = entry.changes if mine else _redact(entry.changes, own_names)
        else:
            obj, changes = _("another person's details"), {}
        if entry.actor_id == user.pk:
            by = _("you")
        elif entry.actor_label:
            by = str(AuditEntry.SYSTEM_ACTORS.get(entry.actor_label, entry.actor_label))
        else:
            by = _("another user")
        log.append(
            {
                "time": _iso(entry.created_at),
                "action": entry.action_label,
                "by": by,
                "object_type": kind,
                "object": obj,
                "changes": changes,
            }
        )

    def section(explanation: str, data: Any) -> dict[str, Any]:
        return {"explanation": explanation, "data": data}

    return {
        "generated_at": _iso(timezone.now()),
        "about": _(
            "Everything Yhdyspinta stores about you, found by your user account and your "
            "e-mail address %(email)s."
        )
        % {"email": user.email},
        "account": section(
            _("Your user account. The password is stored only as a one-way hash and is not shown."),
            {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "title": user.title,
                "phone": user.phone,
                "preferred_language": user.preferred_language,
                "active": user.is_active,
                "platform_administrator": user.is_platform_admin,
                "joined": _iso(user.date_joined),
                "last_login": _iso(user.last_login),
            },
        ),
        "memberships": section(
            _("The organisations you belong to, your position there and your permission role."),
            memberships,
        ),
        "contacts": section(
            _(
                "Your work contact details in the responsibility tables, one set per "
                "organisation, and the themes you are named for."
            ),
            contacts,
        ),
        "survey_invitations": section(
            _(
                "Survey invitations sent to your e-mail address: whether they were sent and "
                "answered. Answers are not linked to invitations, so they are not here."
            ),
            invitations,
        ),
        "survey_responses": section(
            _(
                "Responses to identified surveys that carry your name or e-mail address. "
                "Responses to anonymous surveys have no link to you."
            ),
            responses,
        ),
        "audit_log": section(
            _(
                "The change history: changes you made, changes to your own contact details, "
                "and the history of the entries that name you. Other people's details are "
                "left out."
            ),
            log,
        ),
    }


def _redact(changes: Any, own_names: set[str]) -> Any:
    """A change the person made to a shared record: values naming someone else are hidden."""
    if not isinstance(changes, dict):
        return changes
    redacted = {}
    for key, values in changes.items():
        if key in PERSON_REFERENCE_KEYS and isinstance(values, list):
            values = [
                v
                if v in (None, "") or (isinstance(v, str) and v.casefold() in own_names)
                else _("another person")
                for v in values
            ]
        redacted[key] = values
    return redacted
