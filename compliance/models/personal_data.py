"""The log of who looked at or exported claimants' personal data (GDPR accountability)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import AppendOnlyModel
from articles.actors import Actor
from compliance.models.counter_notices import CounterNotice
from compliance.models.notices import Notice


class PersonalDataAccess(AppendOnlyModel):
    """Who saw or exported a claimant's personal data, and when (GDPR accountability)."""

    class What(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                             related_name="personal_data_accesses")
    actor = models.CharField(max_length=200)
    what = models.CharField(max_length=10, choices=What.choices)
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="personal_data_accesses")
    counter_notice = models.ForeignKey(CounterNotice, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="personal_data_accesses")
    detail = models.CharField(max_length=300, blank=True, help_text="Which page or export")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "personal data accesses"

    def __str__(self) -> str:
        return f"{Actor.parse(self.actor).name} {self.what} at {self.at:%Y-%m-%d %H:%M}"
