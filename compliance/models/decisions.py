from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.actors import Actor
from compliance.models.notices import Notice, NoticeItem, NoticeItemMatch

if TYPE_CHECKING:
    from compliance.services.decisions import Reasons


class Decision(models.Model):
    """What was decided about an item or a match, with its statement of reasons (DSA Art. 17)."""

    class Action(models.TextChoices):
        WITHDRAW = "withdraw", "Withdraw the article"
        REMOVE_ASSET = "remove_asset", "Remove the asset"
        REJECT = "reject", "Reject"
        NEED_INFORMATION = "need_information", "Ask for more information"
        RESTORE = "restore", "Restore after a counter-notice or complaint"
        UPHOLD = "uphold", "Uphold the withdrawal after a counter-notice or complaint"
        CLAIMANT_WITHDREW = "claimant_withdrew", "Closed: the claimant withdrew the notice"

    class Ground(models.TextChoices):
        ILLEGAL_CONTENT = "DECISION_GROUND_ILLEGAL_CONTENT", "Illegal content"
        INCOMPATIBLE_CONTENT = "DECISION_GROUND_INCOMPATIBLE_CONTENT", "Incompatible with our terms"

    # The decisions that took something down: what a counter-notice contests, what counts towards a repeat
    # infringer, what the Transparency Database calls a restriction.
    TAKES_DOWN: ClassVar[tuple[str, ...]] = (Action.WITHDRAW, Action.REMOVE_ASSET)

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(NoticeItem, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    match = models.ForeignKey(NoticeItemMatch, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="decisions")
    action = models.CharField(max_length=20, choices=Action.choices)
    automated = models.BooleanField(default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="decisions")
    actor = models.CharField(max_length=200)
    decided_at = models.DateTimeField(default=timezone.now)
    pending_review = models.BooleanField(default=False, help_text="A fail-safe action a person must still review")
    # Statement of reasons, in the Transparency Database's terms.
    decision_visibility = models.JSONField(default=list, blank=True)
    decision_ground = models.CharField(max_length=40, choices=Ground.choices, default=Ground.ILLEGAL_CONTENT)
    legal_ground = models.CharField(max_length=500, blank=True)
    explanation = models.TextField(max_length=2000, blank=True)
    facts = models.TextField(max_length=5000, blank=True)
    territorial_scope = models.JSONField(default=list, blank=True)
    redress = models.CharField(max_length=500, blank=True)
    manifestly_unfounded = models.BooleanField(default=False, help_text="A rejection of a manifestly unfounded "
                                                                        "notice: counts towards DSA Art. 23")

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({'automated' if self.automated else Actor.parse(self.actor).name})"

    @classmethod
    def from_reasons(cls, reasons: Reasons, *, notice: Notice, action: str, actor: Actor, at: datetime,
                     item: NoticeItem | None = None, match: NoticeItemMatch | None = None, automated: bool = False,
                     visibility: Iterable[str] = ()) -> Decision:
        """A person's (or the timer's) decision with their statement of reasons, not saved yet. Only a
        rejection can be of a manifestly unfounded notice (DSA Art. 23)."""
        return cls(notice=notice, item=item, match=match, action=action, automated=automated, decided_by=actor.user,
                   actor=actor.id, decided_at=at, decision_visibility=list(visibility), decision_ground=reasons.ground,
                   legal_ground=reasons.legal_ground[:500], explanation=reasons.explanation[:2000],
                   facts=reasons.facts[:5000], territorial_scope=reasons.territorial_scope,
                   redress=reasons.redress[:500],
                   manifestly_unfounded=reasons.manifestly_unfounded and action == cls.Action.REJECT)
