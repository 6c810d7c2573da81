"""A removal request as every channel hands it over: validated, normalised, channel-independent."""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.shortening import shortened
from articles.urlnorm import InvalidUrl, host_of, normalise_url, url_key

MAX_ITEMS = 10_000
SHOWN_URL_LENGTH = 200  # of a refused URL quoted in an error message
STATEMENTS = ("good_faith", "accuracy", "signature")


class SubmissionInvalid(ValueError):
    """Every problem at once, by field, so a form or an API can show them all."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ItemInput:
    url: str
    scope: str = "url"
    original_url: str = ""
    note: str = ""


@dataclass(frozen=True)
class ValidItem:
    url: str
    scope: str
    normalised_url: str
    url_key: str
    original_url: str
    note: str


@dataclass(frozen=True)
class Submission:
    claimant_name: str
    claimant_email: str
    items: tuple[ValidItem, ...]
    kind: str = "copyright"
    claimant_organisation: str = ""
    claimant_address: str = ""
    claimant_phone: str = ""
    acting_as: str = "owner"
    acting_for_name: str = ""
    work_description: str = ""
    explanation: str = ""
    good_faith: bool = False
    accuracy: bool = False
    signature: str = ""
    named_reference: str = ""
    extra_missing: tuple[str, ...] = field(default=())
    element_sources: dict[str, dict] = field(default_factory=dict)  # element -> the line(s) it was read from
    reference_urls: tuple[dict, ...] = field(default=())  # named URLs that are not items, with why
    items_left_out: int = 0  # addresses beyond MAX_ITEMS a mail named: not kept, and the claimant is told

    def missing_elements(self) -> list[str]:
        missing = [] if self.items else ["urls"]
        present = {"good_faith": self.good_faith, "accuracy": self.accuracy, "signature": bool(self.signature.strip())}
        return missing + [name for name in STATEMENTS if not present[name]] + list(self.extra_missing)


def _domain_url(raw: str) -> str:
    text = raw.strip()
    return text if "://" in text else f"https://{text}/"


def validate_items(items: list[ItemInput], *, field_name: str = "items") -> tuple[list[ValidItem], dict[str, list[str]]]:
    """Normalise every URL; report each bad one by its position. Repeats of one key collapse."""
    valid: dict[tuple[str, str], ValidItem] = {}
    errors: dict[str, list[str]] = {}
    if len(items) > MAX_ITEMS:
        return [], {field_name: [f"at most {MAX_ITEMS} items per notice, got {len(items)}"]}
    for index, item in enumerate(items):
        try:
            raw = _domain_url(item.url) if item.scope == "domain" else item.url.strip()
            normalised = normalise_url(raw)
            if item.scope == "domain":
                normalised = f"https://{host_of(normalised)}/"
            original = normalise_url(item.original_url) if item.original_url.strip() else ""
        except InvalidUrl as exc:
            shown = shortened(item.url.strip(), SHOWN_URL_LENGTH)  # the form still holds it whole
            errors.setdefault(f"{field_name}[{index}]", []).append(f"{shown!r}: {exc}")
            continue
        key = url_key(normalised)
        valid.setdefault((item.scope, key), ValidItem(
            url=raw, scope=item.scope, normalised_url=normalised, url_key=key,
            original_url=original, note=item.note.strip()))
    return list(valid.values()), errors
