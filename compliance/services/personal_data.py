"""Claimants' personal data is shown only to staff allowed to see it, and every look is logged."""

from __future__ import annotations

from articles.actors import Actor
from compliance.models import CounterNotice, Notice, PersonalDataAccess

PERMISSION = "compliance.view_personal_data"
REDACTED = "[redacted]"


def may_see_personal_data(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def log_access(*, user, what: str, detail: str, notice: Notice | None = None,
               counter_notice: CounterNotice | None = None) -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(user=user, actor=Actor.staff(user).id, what=what, notice=notice,
                                             counter_notice=counter_notice, detail=detail[:300])
