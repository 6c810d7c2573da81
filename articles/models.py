from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info

from articles.shortening import shortened


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[override]
        raise TypeError(f"{self.model.__name__} is append-only: rows are never updated")

    def delete(self):  # type: ignore[override]
        raise TypeError(f"{self.model.__name__} is append-only: rows are never deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} is append-only: rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} is append-only: rows are never deleted")


class Source(models.Model):
    class Policy(models.TextChoices):
        ALLOWED = "allowed", "Allowed"
        LICENSED = "licensed", "Licensed"
        DO_NOT_REPUBLISH = "do_not_republish", "Do not republish"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(max_length=500, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1")
    takedown_email = models.EmailField(blank=True)
    policy = models.CharField(max_length=20, choices=Policy.choices, default=Policy.ALLOWED)
    rehost_pictures = models.BooleanField(
        default=False, help_text="Serve its pictures from our stored copy instead of linking to theirs")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceDomain(models.Model):
    """A host a source publishes under; aliases (m., amp., www.) are expanded at lookup."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(max_length=253, unique=True)

    class Meta:
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host


class RightsHolder(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    name = models.CharField(max_length=300, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORGANISATION)
    contact_emails = models.JSONField(default=list, blank=True)
    verified_domains = models.JSONField(
        default=list, blank=True, help_text="Mail from these domains can be verified by domain"
    )
    agents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="principals",
        help_text="Organisations authorised to file notices on this holder's behalf",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Creator(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        PHOTOGRAPHER = "photographer", "Photographer"
        VIDEOGRAPHER = "videographer", "Videographer"
        CARTOGRAPHER = "cartographer", "Cartographer"
        TRANSLATOR = "translator", "Translator"

    name = models.CharField(max_length=300)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AUTHOR)
    affiliation = models.CharField(max_length=300, blank=True, default="", db_default="",
                                   help_text="The organisation a byline names beside the person")
    rights_holder = models.ForeignKey(
        RightsHolder, null=True, blank=True, on_delete=models.SET_NULL, related_name="creators"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "role"], name="creator_name_role")]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HELD = "held", "Held for review"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RESTORED = "restored", "Restored"

    class Basis(models.TextChoices):
        LICENSE = "license", "License"
        AGREEMENT = "agreement", "Agreement"
        QUOTATION = "quotation", "Quotation"
        UNKNOWN = "unknown", "Unknown"

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.RESTORED)

    slug = models.SlugField(max_length=220, unique=True)
    title = models.CharField(max_length=500)
    body = models.TextField()
    language = models.CharField(max_length=8, help_text="ISO 639-1 of our text")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    creators = models.ManyToManyField(Creator, blank=True, related_name="articles")
    rights_holder = models.ForeignKey(
        RightsHolder, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    rights_holder_source = models.CharField(
        max_length=60, blank=True, default="", db_default="", help_text="Where the page names its rights holder, e.g. JSON-LD copyrightHolder")
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.UNKNOWN)
    license = models.CharField(max_length=500, blank=True)
    credit_text = models.CharField(max_length=500, blank=True)
    # A syndicated copy: the original is the primary source; this is where we took it from.
    taken_from = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="taken_articles",
        help_text="The site we took a syndicated copy from, when the original is elsewhere")
    taken_from_url = models.URLField(max_length=2048, blank=True, default="", db_default="")
    # Database defaults on the columns added here: benchmarks and loaders COPY articles and assets.
    rejected_parts = models.JSONField(
        default=list, db_default=models.Value([], output_field=models.JSONField()), blank=True, help_text="Parts of the page not accepted (an asset's address), with the reason")

    # The primary source, as given, as declared by the page, where fetching ended, normalised.
    primary_source_url_raw = models.URLField(max_length=2048, blank=True)
    primary_source_url_canonical = models.URLField(max_length=2048, blank=True)
    primary_source_url_final = models.URLField(max_length=2048, blank=True)
    primary_source_url = models.URLField(max_length=2048, blank=True, help_text="Normalised")
    primary_source_key = models.CharField(
        max_length=64, blank=True, db_index=True,
        help_text="SHA-256 of the normalised primary-source URL; empty when unknown",
    )
    # Idempotent import key: the primary-source key when known, else sha256(source, title, text).
    lookup_key = models.CharField(max_length=64)

    translated_from = models.CharField(max_length=8, blank=True, help_text="ISO 639-1, 'und' if unknown")
    translation_engine = models.CharField(max_length=100, blank=True)
    original_published_at = models.DateTimeField(null=True, blank=True)
    original_published_from = models.CharField(
        max_length=20, blank=True, default="", db_default="", choices=[("declared", "Declared by the page"), ("url_path", "Date in the URL path")])

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    status_reason = models.CharField(max_length=500, blank=True)
    held_match = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="held_copies",
        help_text="The withdrawn article this one was held as a copy of (stay-down)",
    )
    content_sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(null=True, blank=True)
    # Written by compliance when it withdraws; the 451 page shows them.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reference = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["lookup_key", "language"], name="article_lookup_key_language"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.slug])

    @classmethod
    def short_reason(cls, reason: str) -> str:
        """A status reason as its column holds it: whole, or shortened with an ellipsis that says so (the
        provenance event of the change keeps the reason whole)."""
        return shortened(reason, cls._meta.get_field("status_reason").max_length or len(reason))

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def primary_source_known(self) -> bool:
        return bool(self.primary_source_url)

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def translated_from_name(self) -> str:
        if self.translated_from in ("", "und"):
            return "an undetermined language"
        try:
            return get_language_info(self.translated_from)["name"]
        except KeyError:
            return self.translated_from


class Asset(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", "Photo"
        VIDEO = "video", "Video"
        MAP = "map", "Map"
        EMBED = "embed", "Embed"

    class Display(models.TextChoices):
        HOTLINKED = "hotlinked", "Hotlinked"
        IFRAME = "iframe", "Iframe"
        REHOSTED = "rehosted", "Re-hosted"

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Who a credit names as the maker of an asset of each kind.
    CREATOR_ROLES: ClassVar[dict[str, str]] = {
        Kind.PHOTO: Creator.Role.PHOTOGRAPHER,
        Kind.VIDEO: Creator.Role.VIDEOGRAPHER,
        Kind.MAP: Creator.Role.CARTOGRAPHER,
        Kind.EMBED: Creator.Role.AUTHOR,
    }

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assets")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    original_url = models.URLField(max_length=2048)
    url_key = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the normalised URL")
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True,
                                   help_text="SHA-256 of the file's bytes, when known")
    class CreditSource(models.TextChoices):
        NONE = "", "None"
        CREDIT_ELEMENT = "credit_element", "Credit element on the page"
        CAPTION_PATTERN = "caption_pattern", "Credit pattern in the caption"
        IPTC_IN_FILE = "iptc_in_file", "IPTC/XMP in the file"
        RECORD = "record", "Import record"

    class Confidence(models.TextChoices):
        NONE = "", "None"
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    credit_line = models.CharField(max_length=1000, blank=True, help_text="Exactly as shown")
    credit_source = models.CharField(max_length=20, choices=CreditSource.choices, blank=True, default="", db_default="",
                                     help_text="Where the creator and rights holder were read")
    credit_confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True, default="", db_default="")
    caption = models.TextField(blank=True)
    alt_text = models.CharField(max_length=1000, blank=True)
    creator = models.ForeignKey(Creator, null=True, blank=True, on_delete=models.SET_NULL, related_name="assets")
    rights_holder = models.ForeignKey(
        RightsHolder, null=True, blank=True, on_delete=models.PROTECT, related_name="assets"
    )
    license = models.CharField(max_length=500, blank=True)
    display = models.CharField(max_length=10, choices=Display.choices, default=Display.HOTLINKED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LIVE)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reference = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["article_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="asset_article_position"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.credit_line or self.original_url}"

    @classmethod
    def creator_role_for(cls, kind: str) -> str:
        """The role of whoever made an asset of this kind (a photographer for a kind we do not know)."""
        return cls.CREATOR_ROLES.get(kind, Creator.Role.PHOTOGRAPHER)

    @property
    def creator_role(self) -> str:
        return self.creator_role_for(self.kind)

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE


class ArticleUrlKey(models.Model):
    """Every address an article is known by (fetched, final, canonical, og:url, AMP/mobile, the
    original of a syndicated copy), each with its lookup key, so a notice naming any of them matches."""

    class Kind(models.TextChoices):
        GIVEN = "given", "URL we were given"
        FINAL = "final", "Where fetching ended"
        CANONICAL = "canonical", "Declared canonical"
        OG_URL = "og_url", "og:url"
        ALTERNATE = "alternate", "AMP or mobile alternate"
        ORIGINAL = "original", "Original of a syndicated copy"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="url_keys")
    key = models.CharField(max_length=64, help_text="SHA-256 of the normalised URL")
    url = models.URLField(max_length=2048, help_text="Normalised")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="article_url_key_once")]
        indexes = [models.Index(fields=["key"], name="article_url_key")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"


class ProvenanceEvent(AppendOnlyModel):
    """What happened to an article or asset, mapped to W3C PROV activities in exports."""

    class Kind(models.TextChoices):
        FETCHED = "fetched", "Fetched"
        EXTRACTED = "extracted", "Extracted"
        TRANSLATED = "translated", "Translated"
        EDITED = "edited", "Edited"
        PUBLISHED = "published", "Published"
        HELD = "held", "Held for review"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RESTORED = "restored", "Restored"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="provenance_events")
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="provenance_events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.CharField(max_length=200, help_text="e.g. 'system:ingest', 'user:12', 'engine:deepl'")
    occurred_at = models.DateTimeField(default=timezone.now)
    input_sha256 = models.CharField(max_length=64, blank=True)
    output_sha256 = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["article", "occurred_at"], name="provenance_article_time"),
            # An imported article's extracted event holds its line's hash: a re-import finds unchanged lines by it.
            models.Index(fields=["input_sha256"], name="provenance_extracted_input",
                         condition=models.Q(kind="extracted")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


class LshBand(models.Model):
    """One key of an article's near-duplicate fingerprint (articles.fingerprints): a MinHash LSH
    band, or the minimum of one paragraph. Kept for every article, whatever its status, so any
    worker can find the articles that look like a text; the stay-down gate keeps the withdrawn."""

    # Two indexes only, since every article writes some 36 rows: (article, key), which finds an
    # article's keys, and (key), which finds a key's articles. No database constraint on the
    # article: tens of thousands of deferred checks per import batch, for rows nothing reads
    # without joining articles anyway.
    pk = models.CompositePrimaryKey("article_id", "key")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="lsh_bands", db_constraint=False,
                                db_index=False)
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"], name="lshband_key")]

    def __str__(self) -> str:
        return f"{self.key} of article {self.article_id}"


class StayDownMatch(models.Model):
    """A new article found to resemble a withdrawn one at ingestion: held, or a review suggestion."""

    class Outcome(models.TextChoices):
        HELD = "held", "Held (0.8 or above)"
        SUGGESTED = "suggested", "Review suggestion (0.5 to 0.8)"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        RELEASED = "released", "Released"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DISMISSED = "dismissed", "Dismissed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="stay_down_matches")
    withdrawn_article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="stay_down_copies")
    jaccard = models.FloatField()
    containment = models.FloatField(help_text="Of the shorter text in the longer")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "withdrawn_article"], name="staydown_match_once"),
        ]
        indexes = [models.Index(fields=["state", "outcome", "-created_at"], name="staydown_queue")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.article_id} like {self.withdrawn_article_id}"

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment)


class HeldArticle(Article):
    """Articles the publish gate held, as the admin's stay-down queue shows them."""

    class Meta:
        proxy = True
        verbose_name = "held article"
        verbose_name_plural = "held articles (stay-down queue)"


class ImportChunk(models.Model):
    """One chunk of an `import_articles --workers` run, written in the transaction that imported it
    (or, once its retries are spent, as failed): what the command reads back for its report, and
    what tells a chunk delivered twice that it already landed (articles/importing/chunks.py)."""

    class State(models.TextChoices):
        DONE = "done", "Imported"
        FAILED = "failed", "Failed, nothing of it written"

    run = models.UUIDField()
    index = models.PositiveIntegerField()
    first_line = models.PositiveIntegerField()
    last_line = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[line number, message] of each line refused")
    failure = models.TextField(blank=True)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="import_chunk_once")]

    def __str__(self) -> str:
        return f"chunk {self.index} (lines {self.first_line}-{self.last_line}) of import {self.run}: {self.state}"
