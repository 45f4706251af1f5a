"""Writes to the audit log."""

from __future__ import annotations

from typing import Any

from townsquare.pulse.models import AuditEntry


def record_audit(
    actor: Any,
    action: str,
    target: Any = None,
    *,
    reason: str = "",
    data: dict[str, Any] | None = None,
    ip: str = "",
) -> AuditEntry:
    """Appends one entry; call it inside the transaction of the action it records."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        reason=reason,
        data=data or {},
        ip=ip,
    )
