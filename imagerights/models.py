"""Image files stored by content, what each file says about its rights, and disagreements to review."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from articles.models import AppendOnlyModel, Asset


class StoredFile(models.Model):
    """One file's bytes, stored once under their SHA-256, with the perceptual hash of the picture.

    The pHash is split into five bands, each indexed, so a Hamming search probes each band's
    neighbours (imagerights.services.hamming) instead of scanning every hash.
    """

    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.TextField(help_text="As the capture or the server gave it, kept whole")
    storage_key = models.CharField(max_length=300, help_text="Name in the default storage")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    phash = models.BigIntegerField(null=True, blank=True, help_text="64-bit pHash as a signed integer")
    phash_band_0 = models.IntegerField(null=True, blank=True)
    phash_band_1 = models.IntegerField(null=True, blank=True)
    phash_band_2 = models.IntegerField(null=True, blank=True)
    phash_band_3 = models.IntegerField(null=True, blank=True)
    phash_band_4 = models.IntegerField(null=True, blank=True)
    # Counted before each parse, so a file that crashes its parser is not parsed forever.
    parse_attempts = models.PositiveSmallIntegerField(default=0)
    parse_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        # Covering (band, phash, id) on PostgreSQL, so a probe is an index-only scan and the distance is
        # checked without visiting the table.
        indexes = [models.Index(fields=[f"phash_band_{i}"], include=["phash", "id"], name=f"storedfile_phash_band_{i}")
                   for i in range(5)]
        # A constraint rather than unique=True: no second (LIKE) index on PostgreSQL, 90 MB per million files.
        constraints = [models.UniqueConstraint(fields=["sha256"], name="storedfile_sha256")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… ({self.content_type}, {self.size} bytes)"

    @property
    def phash_hex(self) -> str:
        return "" if self.phash is None else f"{self.phash & (2**64 - 1):016x}"


class AssetFile(models.Model):
    """Which bytes an asset was seen with, and how they were obtained; the newest is the current one."""

    class Origin(models.TextChoices):
        WARC = "warc", "Web capture (WARC)"
        FETCH = "fetch", "HTTP download"
        DEMO_STAND_IN = "demo", "Generated stand-in (demo data)"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="file_links")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="asset_links")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    url = models.TextField(help_text="Where the bytes came from, after redirects, kept whole")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["asset", "file"], name="assetfile_asset_file")]
        indexes = [models.Index(fields=["file"], name="assetfile_file")]

    def __str__(self) -> str:
        return f"asset {self.asset_id} seen as {self.file_id}"


class RightsReading(AppendOnlyModel):
    """What one witness says about an asset's rights: the file's IPTC/XMP, its C2PA manifest, or the
    page's credit line. Kept whatever it says, so the effective choice can always be re-explained."""

    class Witness(models.TextChoices):
        C2PA = "c2pa", "C2PA Content Credentials"
        IPTC_XMP = "iptc_xmp", "IPTC/XMP metadata"
        HTML_CREDIT = "html_credit", "Credit line on the page"

    class State(models.TextChoices):
        TRUSTED = "trusted", "Valid, trusted signer"
        UNTRUSTED = "untrusted", "Valid signature, untrusted signer"
        INVALID = "invalid", "Invalid (tampered or broken)"
        READ = "read", "Read"
        ABSENT = "absent", "Nothing there"
        UNREADABLE = "unreadable", "Could not be read"

    class AiLabel(models.TextChoices):
        NONE = "", "None"
        GENERATED = "generated", "AI-generated"
        EDITED = "edited", "AI-edited"

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="rights_readings")
    file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="readings")
    witness = models.CharField(max_length=20, choices=Witness.choices)
    state = models.CharField(max_length=20, choices=State.choices)
    # What a witness said, kept whole (a picture's metadata is evidence): text columns.
    creator = models.TextField(blank=True)
    rights_holder = models.TextField(blank=True)
    credit_line = models.TextField(blank=True)
    copyright_notice = models.TextField(blank=True)
    digital_source_type = models.TextField(blank=True)
    ai_label = models.CharField(max_length=10, choices=AiLabel.choices, blank=True)
    signer = models.TextField(blank=True, help_text="C2PA signer's common name")
    signer_issuer = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    claim_generator = models.TextField(blank=True)
    fields = models.JSONField(default=dict, blank=True, help_text="Everything read, by field name")
    error = models.CharField(max_length=500, blank=True)
    input_sha256 = models.CharField(max_length=64)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["asset", "witness", "-read_at"], name="reading_asset_witness")]

    def __str__(self) -> str:
        return f"{self.get_witness_display()} of asset {self.asset_id}: {self.get_state_display()}"

    @property
    def is_proof(self) -> bool:
        """Only a valid manifest from a trusted signer proves anything; other readings are claims."""
        return self.witness == self.Witness.C2PA and self.state == self.State.TRUSTED

    @property
    def names_someone(self) -> bool:
        return bool(self.creator or self.rights_holder) and self.state in (
            self.State.TRUSTED, self.State.READ)


class RightsConflict(models.Model):
    """Two witnesses name different people for the same asset; staff choose, the effective value stands meanwhile."""

    class Field(models.TextChoices):
        RIGHTS_HOLDER = "rights_holder", "Rights holder"
        CREATOR = "creator", "Creator"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="rights_conflicts")
    field = models.CharField(max_length=20, choices=Field.choices)
    effective_witness = models.CharField(max_length=20, choices=RightsReading.Witness.choices)
    effective_value = models.TextField()
    other_witness = models.CharField(max_length=20, choices=RightsReading.Witness.choices)
    other_value = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolved_value = models.TextField(blank=True)
    resolved_by = models.CharField(max_length=200, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "field", "effective_value", "other_witness", "other_value"],
                                    name="rightsconflict_once"),
        ]
        indexes = [models.Index(fields=["state", "-created_at"], name="rightsconflict_queue")]

    def __str__(self) -> str:
        return (f"{self.get_field_display()} of asset {self.asset_id}: {self.effective_value!r} "
                f"({self.effective_witness}) vs {self.other_value!r} ({self.other_witness})")
