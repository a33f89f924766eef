"""The audit log: one record per change a person (or a system job) made to shared data."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """What changed, on which object, by whom and when.

    The object is referenced by content type and primary key (not a foreign key) so that the
    entry outlives the object. `object_repr` keeps a readable name of the object as it was.
    `actor_label` names a system actor (e.g. the registry loader) when there is no user.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("system actor"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    ACTION_LABELS = {
        "created": _("created"),
        "changed": _("changed"),
        "ended": _("marked ended"),
        "question added": _("question added"),
        "question changed": _("question changed"),
        "question replaced": _("question replaced under a new key"),
        "question retired": _("question retired"),
        "question deleted": _("question deleted"),
        "question moved": _("question moved"),
        "section added": _("page added"),
        "section changed": _("page changed"),
        "recipients added": _("recipients added"),
        "invitations queued": _("invitations queued"),
        "reminders queued": _("reminders queued"),
        "answer reviewed": _("open answer reviewed"),
        "tag added": _("tag added"),
        "confirmed": _("confirmed"),
        "deleted": _("deleted"),
        "theme added": _("theme added"),
        "party added": _("party added"),
        "erased": _("personal data erased"),
        "imported": _("imported from a file"),
        "archived": _("archived"),
        "cancelled": _("cancelled"),
        "commented": _("comment added"),
        "document added": _("document added"),
        "meetings added": _("meetings added"),
        "members changed": _("members changed"),
        "calendar address renewed": _("calendar address renewed"),
        "measured": _("figure recorded"),
        "measurement removed": _("figure removed"),
        "fetched from Sotkanet": _("figures fetched from Sotkanet"),
        "person invited": _("person invited"),
        "invitation resent": _("invitation sent again"),
        "invitation revoked": _("invitation withdrawn"),
        "person joined": _("person joined"),
        "membership changed": _("membership changed"),
        "membership ended": _("membership ended"),
        "person left": _("person marked as left"),
        "signed in": _("signed in"),
        "signed out": _("signed out"),
        "sign-in failed": _("sign-in failed"),
        "sign-in refused": _("sign-in refused"),
        "second factor added": _("second factor set up"),
        "second factor removed": _("second factor removed"),
    }
    SYSTEM_ACTORS = {
        "load_registry": _("registry update from the official classification"),
        "schedule": _("scheduled job"),
        "demo": _("demo data"),
        "retention": _("retention of personal data"),
        "sign-in": _("sign-in"),
    }

    @property
    def who(self) -> str:
        if self.actor_id:
            return str(self.actor)
        return str(self.SYSTEM_ACTORS.get(self.actor_label, self.actor_label))

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))
