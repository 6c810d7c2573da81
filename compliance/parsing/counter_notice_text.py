"""The two statements a counter-notice makes (17 U.S.C. 512(g)(3)(C) and (D)), read from a mail's text.

Pure, like notice_text: hints for the counter-notice record and for staff, never a legal judgement.
The form asks for each with a checkbox; a mail says them in words, in their common wordings.
"""

from __future__ import annotations

import re

_MISTAKE = re.compile(
    r"mistake\s+or\s+misidentification|irrtum\s+oder\s+(?:einer\s+)?(?:verwechslung|falschidentifizierung)"
    r"|erreur\s+ou\s+(?:d['’]une\s+)?(?:mauvaise|fausse)\s+identification"
    r"|error\s+o\s+(?:una\s+)?identificaci[oó]n\s+err[oó]nea|pomyłk\w*\s+lub\s+błędn\w*\s+identyfikacj"
    r"|помилк\w*\s+або\s+неправильн\w*\s+ідентифікац",
    re.IGNORECASE,
)
_PERJURY = re.compile(r"penalty\s+of\s+perjury|meineid|parjure|perjurio|krzywoprzysi|неправдив\w+\s+свідчен",
                      re.IGNORECASE)
_CONSENT = re.compile(
    r"(?:consent|submit)\s+to\s+the\s+jurisdiction|zuständigkeit\s+des\s+\w+\s*gerichts?\b"
    r"|(?:consens|accepte)\w*\s+(?:à\s+)?la\s+compétence|(?:consiento|acepto)\s+(?:a\s+)?la\s+jurisdicci[oó]n"
    r"|(?:wyrażam\s+zgodę|zgadzam\s+się)\s+na\s+jurysdykcj|згод\w*\s+на\s+юрисдикці",
    re.IGNORECASE,
)


def counter_statements(text: str) -> tuple[bool, bool]:
    """(a good-faith belief of mistake, under penalty of perjury; consent to jurisdiction) in the
    sender's own lines: a reply's quotation of our words says nothing about theirs."""
    own = " ".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    flat = " ".join(own.split())
    return bool(_MISTAKE.search(flat) and _PERJURY.search(flat)), bool(_CONSENT.search(flat))
