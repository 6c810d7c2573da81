"""The DSA Transparency Database's rules for a statement of reasons, checked before we send one.

Written from the validation rules of its multi-statement endpoint (`POST /api/v1/statements`,
digital-services-act/transparency-database: the statement model's constants and the per-statement
rules applied to each element of `statements`): required fields, enumerations given by constant
name, lengths in characters, `Y-m-d` dates within their windows, the puid's alphabet. Unknown keys
are reported too: the database drops them silently, so sending one is always our mistake.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

MAX_PER_CALL = 100

DECISION_VISIBILITIES = {f"DECISION_VISIBILITY_{v}" for v in (
    "CONTENT_REMOVED", "CONTENT_DISABLED", "CONTENT_DEMOTED", "CONTENT_AGE_RESTRICTED",
    "CONTENT_INTERACTION_RESTRICTED", "CONTENT_LABELLED", "OTHER")}
DECISION_MONETARIES = {f"DECISION_MONETARY_{v}" for v in ("SUSPENSION", "TERMINATION", "OTHER")}
DECISION_PROVISIONS = {f"DECISION_PROVISION_{v}" for v in (
    "PARTIAL_SUSPENSION", "TOTAL_SUSPENSION", "PARTIAL_TERMINATION", "TOTAL_TERMINATION")}
DECISION_ACCOUNTS = {"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED"}
ACCOUNT_TYPES = {"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE"}
DECISION_GROUNDS = {"DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT"}
YES_NO = {"Yes", "No"}
CONTENT_TYPES = {f"CONTENT_TYPE_{v}" for v in (
    "APP", "AUDIO", "IMAGE", "PRODUCT", "SYNTHETIC_MEDIA", "TEXT", "VIDEO", "OTHER")}
STATEMENT_CATEGORIES = {f"STATEMENT_CATEGORY_{v}" for v in (
    "ANIMAL_WELFARE", "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "ILLEGAL_OR_HARMFUL_SPEECH",
    "INTELLECTUAL_PROPERTY_INFRINGEMENTS", "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "NON_CONSENSUAL_BEHAVIOUR", "PORNOGRAPHY_OR_SEXUALIZED_CONTENT", "PROTECTION_OF_MINORS",
    "RISK_FOR_PUBLIC_SECURITY", "SCAMS_AND_FRAUD", "SELF_HARM", "SCOPE_OF_PLATFORM_SERVICE",
    "UNSAFE_AND_ILLEGAL_PRODUCTS", "VIOLENCE")}
KEYWORDS = {f"KEYWORD_{v}" for v in (
    "ANIMAL_HARM", "ADULT_SEXUAL_MATERIAL", "AGE_SPECIFIC_RESTRICTIONS_MINORS", "AGE_SPECIFIC_RESTRICTIONS",
    "BIOMETRIC_DATA_BREACH", "CHILD_SEXUAL_ABUSE_MATERIAL", "CONTENT_PROMOTING_EATING_DISORDERS",
    "COORDINATED_HARM", "COPYRIGHT_INFRINGEMENT", "DANGEROUS_TOYS", "DATA_FALSIFICATION", "DEFAMATION",
    "DESIGN_INFRINGEMENT", "DISCRIMINATION", "DISINFORMATION", "FOREIGN_INFORMATION_MANIPULATION",
    "GENDER_BASED_VIOLENCE", "GEOGRAPHIC_INDICATIONS_INFRINGEMENT", "GEOGRAPHICAL_REQUIREMENTS",
    "GOODS_SERVICES_NOT_PERMITTED", "GROOMING_SEXUAL_ENTICEMENT_MINORS", "HATE_SPEECH", "HUMAN_EXPLOITATION",
    "HUMAN_TRAFFICKING", "ILLEGAL_ORGANIZATIONS", "IMAGE_BASED_SEXUAL_ABUSE", "IMPERSONATION_ACCOUNT_HIJACKING",
    "INAUTHENTIC_ACCOUNTS", "INAUTHENTIC_LISTINGS", "INAUTHENTIC_USER_REVIEWS", "INCITEMENT_VIOLENCE_HATRED",
    "INSUFFICIENT_INFORMATION_TRADERS", "LANGUAGE_REQUIREMENTS", "MISINFORMATION", "MISSING_PROCESSING_GROUND",
    "NON_CONSENSUAL_IMAGE_SHARING", "NON_CONSENSUAL_ITEMS_DEEPFAKE", "NUDITY", "ONLINE_BULLYING_INTIMIDATION",
    "PATENT_INFRINGEMENT", "PHISHING", "PYRAMID_SCHEMES", "REGULATED_GOODS_SERVICES", "RIGHT_TO_BE_FORGOTTEN",
    "RISK_ENVIRONMENTAL_DAMAGE", "RISK_PUBLIC_HEALTH", "SELF_MUTILATION", "STALKING", "SUICIDE",
    "TERRORIST_CONTENT", "TRADE_SECRET_INFRINGEMENT", "TRADEMARK_INFRINGEMENT", "UNLAWFUL_SALE_ANIMALS",
    "UNSAFE_CHALLENGES", "OTHER")}
SOURCE_TYPES = {"SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY"}
AUTOMATED_DECISIONS = {"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"}
# EU and EEA members by ISO 3166-1 alpha-2 (Greece as GR).
COUNTRIES = set("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK".split())
# ISO 639-1, upper case.
LANGUAGES = set("""
AA AB AE AF AK AM AN AR AS AV AY AZ BA BE BG BH BI BM BN BO BR BS CA CE CH CO CR CS CU CV CY DA DE DV DZ EE EL EN
EO ES ET EU FA FF FI FJ FO FR FY GA GD GL GN GU GV HA HE HI HO HR HT HU HY HZ IA ID IE IG II IK IO IS IT IU JA JV
KA KG KI KJ KK KL KM KN KO KR KS KU KV KW KY LA LB LG LI LN LO LT LU LV MG MH MI MK ML MN MR MS MT MY NA NB ND NE
NG NL NN NO NR NV NY OC OJ OM OR OS PA PI PL PS PT QU RM RN RO RU RW SA SC SD SE SG SI SK SL SM SN SO SQ SR SS ST
SU SV SW TA TE TG TH TI TK TL TN TO TR TS TT TW TY UG UK UR UZ VE VI VO WA WO XH YI YO ZA ZH ZU""".split())

_PUID = re.compile(r"[a-zA-Z0-9_-]+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*", re.IGNORECASE)
_LATEST = date(2038, 1, 1)
_END_DATES = ("end_date_account_restriction", "end_date_monetary_restriction", "end_date_service_restriction",
              "end_date_visibility_restriction")
_KNOWN = {
    "decision_visibility", "decision_visibility_other", "decision_monetary", "decision_monetary_other",
    "decision_provision", "decision_account", "account_type", "category_specification",
    "category_specification_other", "decision_ground", "decision_ground_reference_url",
    "illegal_content_legal_ground", "illegal_content_explanation", "incompatible_content_ground",
    "incompatible_content_explanation", "incompatible_content_illegal", "content_type", "content_type_other",
    "category", "category_addition", "territorial_scope", "content_language", "content_date", "application_date",
    *_END_DATES, "decision_facts", "source_type", "source_identity", "automated_detection", "automated_decision",
    "puid",
}


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


class _Check:
    def __init__(self, statement: dict[str, Any]):
        self.s, self.problems = statement, []

    def fail(self, key: str, why: str) -> None:
        self.problems.append(f"{key}: {why}")

    def required(self, key: str) -> bool:
        if _blank(self.s.get(key)):
            self.fail(key, "is required")
            return False
        return True

    def text(self, key: str, limit: int, *, required: bool = False) -> None:
        if required and not self.required(key):
            return
        value = self.s.get(key)
        if value is None:
            return
        if not isinstance(value, str):
            self.fail(key, "must be a string")
        elif len(value) > limit:
            self.fail(key, f"is {len(value)} characters; at most {limit}")

    def one_of(self, key: str, allowed: set[str], *, required: bool = False) -> None:
        if required and not self.required(key):
            return
        value = self.s.get(key)
        if value is not None and value not in allowed:
            self.fail(key, f"{value!r} is not one of the allowed values")

    def many_of(self, key: str, allowed: set[str], *, required: bool = False) -> None:
        if required and not self.required(key):
            return
        value = self.s.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.fail(key, "must be an array")
            return
        for element in value:
            if element not in allowed:
                self.fail(key, f"{element!r} is not one of the allowed values")

    def day(self, key: str, earliest: date | None, *, required: bool) -> None:
        if required and not self.required(key):
            return
        value = self.s.get(key)
        if value is None:
            return
        try:
            parsed = date.fromisoformat(value) if isinstance(value, str) and _DAY.fullmatch(value) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail(key, "must be a date written YYYY-MM-DD")
        elif (earliest and parsed < earliest) or parsed > _LATEST:
            self.fail(key, f"must be between {earliest or 'any date'} and {_LATEST}")


def problems(statement: dict[str, Any]) -> list[str]:
    """Every rule the statement breaks, one line each; empty when the database would take it."""
    check, s = _Check(statement), statement
    for key in sorted(set(s) - _KNOWN):
        check.fail(key, "is not a field of a statement")
    restrictions = ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")
    if all(_blank(s.get(key)) for key in restrictions):
        check.fail("decision_visibility", "is required when no monetary, provision or account decision is given")
    check.many_of("decision_visibility", DECISION_VISIBILITIES)
    if "DECISION_VISIBILITY_OTHER" in (s.get("decision_visibility") or []):
        check.text("decision_visibility_other", 500, required=True)
    check.one_of("decision_monetary", DECISION_MONETARIES)
    if s.get("decision_monetary") == "DECISION_MONETARY_OTHER":
        check.text("decision_monetary_other", 500, required=True)
    check.one_of("decision_provision", DECISION_PROVISIONS)
    check.one_of("decision_account", DECISION_ACCOUNTS)
    check.one_of("account_type", ACCOUNT_TYPES)
    check.many_of("category_specification", KEYWORDS)
    check.text("category_specification_other", 500)
    check.one_of("decision_ground", DECISION_GROUNDS, required=True)
    reference = s.get("decision_ground_reference_url")
    if reference is not None and not (isinstance(reference, str) and len(reference) <= 500
                                      and _URL.fullmatch(reference)):
        check.fail("decision_ground_reference_url", "must be a URL of at most 500 characters")
    if s.get("decision_ground") == "DECISION_GROUND_ILLEGAL_CONTENT":
        check.text("illegal_content_legal_ground", 500, required=True)
        check.text("illegal_content_explanation", 2000, required=True)
    if s.get("decision_ground") == "DECISION_GROUND_INCOMPATIBLE_CONTENT":
        check.text("incompatible_content_ground", 500, required=True)
        check.text("incompatible_content_explanation", 2000, required=True)
        check.one_of("incompatible_content_illegal", YES_NO)
    check.many_of("content_type", CONTENT_TYPES, required=True)
    if "CONTENT_TYPE_OTHER" in (s.get("content_type") or []):
        check.text("content_type_other", 500, required=True)
    check.one_of("category", STATEMENT_CATEGORIES, required=True)
    check.many_of("category_addition", STATEMENT_CATEGORIES)
    check.many_of("territorial_scope", COUNTRIES)
    check.one_of("content_language", LANGUAGES)
    check.day("content_date", date(2000, 1, 1), required=True)
    check.day("application_date", date(2020, 1, 1), required=True)
    for key in _END_DATES:
        check.day(key, None, required=False)
    check.text("decision_facts", 5000, required=True)
    check.one_of("source_type", SOURCE_TYPES, required=True)
    check.text("source_identity", 500)
    check.one_of("automated_detection", YES_NO, required=True)
    check.one_of("automated_decision", AUTOMATED_DECISIONS, required=True)
    check.text("puid", 500, required=True)
    if isinstance(s.get("puid"), str) and not _PUID.fullmatch(s["puid"]):
        check.fail("puid", "may hold only letters, digits, '-' and '_'")
    return check.problems


def call_problems(body: dict[str, Any]) -> list[str]:
    """Problems of one `POST /api/v1/statements` body: 1 to 100 statements, puids unique, each valid."""
    statements = body.get("statements") if isinstance(body, dict) else None
    if not isinstance(statements, list) or not 1 <= len(statements) <= MAX_PER_CALL:
        return [f"statements: must be an array of 1 to {MAX_PER_CALL} statements"]
    found = [f"statements.{i}.{p}" for i, s in enumerate(statements) for p in problems(s)]
    puids = [s.get("puid") for s in statements]
    if len(set(puids)) != len(puids):
        found.append("statements: a puid appears twice in one call")
    return found
