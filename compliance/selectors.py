from __future__ import annotations

from django.db import models

from compliance.models import AuditEntry


def audit_history_of(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
