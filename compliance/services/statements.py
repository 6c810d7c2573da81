"""Statements of reasons (DSA Art. 17), in the Transparency Database's terms."""

from __future__ import annotations

from compliance.models import Decision, Notice, NoticeItemMatch

EEA = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT",
       "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"]
LEGAL_GROUND_BY_KIND = {
    Notice.Kind.COPYRIGHT: "Copyright: alleged infringement of the claimant's exclusive rights "
                           "(17 U.S.C. 512; Directive 2001/29/EC)",
}
REDRESS = ("The publisher may send a counter-notice through the link on the withdrawn page; "
           "a complaint may be lodged within 6 months (DSA Art. 20).")


def fail_safe_withdrawal(notice: Notice, match: NoticeItemMatch) -> dict:
    how = match.get_how_display().lower()
    return {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_DISABLED"],
        "decision_ground": Decision.Ground.ILLEGAL_CONTENT,
        "legal_ground": LEGAL_GROUND_BY_KIND.get(notice.kind, notice.get_kind_display()),
        "explanation": (f"Withdrawn automatically at the {notice.due_at:%Y-%m-%d %H:%M} UTC deadline of verified "
                        f"notice {notice.reference}, pending review by staff."),
        "facts": (f"Notice {notice.reference} ({notice.get_kind_display()}, {notice.get_verification_display()}) "
                  f"received {notice.received_at:%Y-%m-%d %H:%M} UTC named {match.item.url}, which matched this "
                  f"article by its {how}; it was not reviewed within 24 hours."),
        "territorial_scope": EEA,
        "redress": REDRESS,
    }
