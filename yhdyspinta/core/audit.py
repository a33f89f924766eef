"""Writing and reading the audit log. Every service that changes shared data calls `record`."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def record(
    *,
    obj: models.Model,
    action: str,
    actor: Any = None,
    actor_label: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry for `obj`. `changes` maps a field name to [old, new]."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor_label,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=changes or {},
    )


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
    ).select_related("actor")


def diff(instance: models.Model, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-by-field [old, new] for the values that differ, as JSON-friendly strings."""
    changes: dict[str, list[Any]] = {}
    for field, new in new_values.items():
        old = getattr(instance, field)
        if isinstance(old, models.Model) or isinstance(new, models.Model):
            old_key = getattr(old, "pk", old)
            new_key = getattr(new, "pk", new)
            if old_key != new_key:
                changes[field] = [str(old) if old else None, str(new) if new else None]
        elif old != new:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def update(
    obj: models.Model, values: dict[str, Any], *, actor: Any = None, actor_label: str = ""
) -> dict[str, list[Any]]:
    """Set the values that differ, save, and record them; return the changes (empty: nothing)."""
    changes = diff(obj, values)
    if changes:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        record(obj=obj, action="changed", actor=actor, actor_label=actor_label, changes=changes)
    return changes
