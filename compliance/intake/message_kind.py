"""What a message to the takedown address is: a takedown, a counter-notice, a retraction, a reply.

Pure: subject and text in, a kind out. Intake routes on it: a counter-notice sent by mail must not
open a takedown of the objector's own content, and a retraction must not open a takedown of the
very URLs it releases. A reply that threads to one of our notices is a supplement whatever it says,
unless it objects or retracts; threading itself is the mail intake's job (headers, not words).
"""

from __future__ import annotations

import enum
import re


class MessageKind(enum.StrEnum):
    TAKEDOWN = "takedown"
    COUNTER_NOTICE = "counter_notice"
    RETRACTION = "retraction"
    SUPPLEMENT = "supplement"
    OTHER = "other"


# DMCA 512(g)(3): the material was removed "as a result of mistake or misidentification", and the
# subscriber consents to the jurisdiction of a court. Either phrase in its common wordings.
_COUNTER = re.compile(
    r"counter[\s-]*notice|counter[\s-]*notification|gegendarstellung|widerspruch\s+gegen\s+die\s+(?:entfernung|sperrung)"
    r"|contre[\s-]*notification|contra[\s-]*notificaci[oó]n|kontr[\s-]*zawiadomieni|зустрічн\w*\s+повідомлен"
    r"|встречн\w*\s+уведомлен"
    r"|(?:removed|disabled|taken\s+down)\b.{0,120}?\b(?:as\s+a\s+result\s+of\s+(?:a\s+)?)?mistake\s+or\s+misidentification"
    r"|consent\s+to\s+the\s+jurisdiction\s+of",
    re.IGNORECASE,
)
_RETRACTION = re.compile(
    r"\b(?:we|i)\s+(?:hereby\s+|would\s+like\s+to\s+|wish\s+to\s+|want\s+to\s+)?(?:withdraw|retract|rescind|revoke)"
    r"\s+(?:our|my|the|this)\s+(?:\w+\s+){0,3}?(?:notice|notification|request|complaint|claim|takedown)"
    r"|\bretraction\s+of\s+(?:our|my|the)\b|\bplease\s+(?:disregard|ignore)\s+(?:our|my|the)\s+(?:\w+\s+){0,3}?"
    r"(?:notice|notification|request|takedown)"
    r"|(?:notice|request|takedown)\s+(?:is|has\s+been)\s+(?:hereby\s+)?(?:withdrawn|retracted|rescinded)"
    r"|ziehen\s+(?:wir|ich)\s+(?:unsere|meine)\s+\w+\s+zurück|nehmen\s+(?:wir|ich)\s+(?:unsere|meine)\s+\w+\s+zurück"
    r"|retirons\s+notre|retiramos\s+nuestra|wycofujemy|відкликаємо|відкликаю|отзываем",
    re.IGNORECASE,
)


def classify_message(subject: str, text: str, *, threads_to_notice: bool = False) -> MessageKind:
    """A retraction or a counter-notice is recognised by what it says; anything else that threads
    to one of our notices supplements it; the rest is a takedown (intake decides whether it names
    anything of ours)."""
    flat = " ".join(f"{subject}\n{_unquoted(text)}".split())
    if _RETRACTION.search(flat):
        return MessageKind.RETRACTION
    if _COUNTER.search(flat):
        return MessageKind.COUNTER_NOTICE
    if threads_to_notice:
        return MessageKind.SUPPLEMENT
    return MessageKind.TAKEDOWN


def _unquoted(text: str) -> str:
    """A reply quotes our words back; only the sender's own lines say what the message is."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
