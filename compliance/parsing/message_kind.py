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
_COUNTER_WORD = r"counter[\s-]*(?:notice|notification)"
_COUNTER = re.compile(
    r"(?:removed|disabled|taken\s+down)\b.{0,120}?\b(?:as\s+a\s+result\s+of\s+(?:a\s+)?)?mistake\s+or\s+misidentification"
    r"|consent\s+to\s+the\s+(?:\w+\s+){0,2}?jurisdiction\s+of"
    rf"|\b(?:this|my|our)\s+(?:is\s+(?:a|my|our)\s+)?(?:formal\s+|dmca\s+)?{_COUNTER_WORD}"
    rf"|{_COUNTER_WORD}\s+(?:to|regarding|concerning|against|in\s+response|under|for\s+(?:the|my|our))\b"
    rf"|\b(?:i|we)\s+(?:\w+\s+){{0,3}}?(?:submit|file|send|issue|lodge|filing|submitting|sending)\w*\s+(?:\w+\s+){{0,3}}?"
    rf"{_COUNTER_WORD}"
    r"|gegendarstellung|widerspruch\s+gegen\s+die\s+(?:entfernung|sperrung)"
    r"|contre[\s-]*notification|contra[\s-]*notificaci[oó]n|kontr[\s-]*zawiadomieni|зустрічн\w*\s+повідомлен"
    r"|встречн\w*\s+уведомлен",
    re.IGNORECASE,
)
_COUNTER_SUBJECT = re.compile(rf"{_COUNTER_WORD}|contre[\s-]*notification|contra[\s-]*notificaci", re.IGNORECASE)
_VERB = (r"(?:withdraw(?:ing|n)?|retract(?:ing|ed)?|rescind(?:ing)?|revok(?:e|ing)|cancel(?:l?ing)?|null|invalidate|void)"
         r"(?:,?\s+or\s+\w+,?)?")
_WHAT = r"(?:notices?|notifications?|requests?|complaints?|claims?|take[\s-]*downs?|d[mc][mc]a)"
_DETERMINER = r"(?:my|our|the|this|these|those|that|all|part|its|it[’']s)"
# "I/we ... retract": the sender withdrawing its own notice, never "we ask that the claimant withdraw".
_OWN = r"\b(?:i|we)(?:[’']d|[’']ll)?\s+(?:(?!(?:that|the|they|you|he|she|github|it|them)\b)[\w’']+\s+){0,4}?"
_RETRACTION = re.compile(
    rf"(?:{_OWN}|\b(?:would\s+like\s+to|wish(?:es)?\s+to|wants?\s+to|hereby|decided\s+to)\s+){_VERB}\s+(?:\w+\s+){{0,3}}?"
    rf"{_DETERMINER}\b[^.]{{0,60}}?{_WHAT}"
    rf"|\bretraction\s+of\b|\b(?:full|partial)\s+retraction\b|\bplease\s+(?:retract|withdraw|cancel|disregard|ignore|rescind|revoke)"
    rf"\s+(?:\w+\s+){{0,4}}?{_WHAT}"
    rf"|{_WHAT}\s+(?:is|are|has\s+been|have\s+been)\s+(?:hereby\s+)?(?:withdrawn|retracted|rescinded|revoked|cancel+ed)"
    rf"|\b(?:remove|drop)\s+part\s+of\s+(?:my|our)\s+(?:\w+\s+)?{_WHAT}"
    r"|(?:ziehen|nehmen)\s+(?:wir|ich)\s+(?:unsere|meine|die)\s+(?:\S+\s+){0,5}?zurück"
    r"|\b(?:rücknahme|zurückziehung)\s+(?:unserer|meiner|der)\s+(?:\w+\s+)?(?:meldung|beschwerde|abmahnung|mitteilung|aufforderung)"
    r"|\bretir(?:ons|e)\s+(?:notre|ma|la)\s+(?:\w+\s+){0,2}?(?:notification|demande|plainte|réclamation)"
    r"|\bannul(?:ons|e)\s+(?:notre|ma)\s+(?:demande|notification)"
    r"|\bretir(?:amos|o)\s+(?:nuestra|mi|la)\s+(?:\w+\s+){0,2}?(?:notificaci[oó]n|solicitud|reclamaci[oó]n|denuncia)"
    r"|wycofuj(?:emy|ę)|wycofani\w+\s+(?:naszego|mojego|zgłoszenia|wniosku|żądania)"
    r"|відклика(?:ємо|ю)|відкликанн\w+\s+(?:нашого|мого|скарги|повідомлення|запиту)|отзыва(?:ем|ю)\s+(?:наш|сво|мо)",
    re.IGNORECASE,
)
# Weaker: a notifier owning up to an error. Only when the message is not a counter-notice, since an
# objector says the very same about the notice against it.
_ADMITTED_ERROR = re.compile(
    rf"\b(?:remove|lift|cancel|rescind|retract|withdraw|revoke)\s+(?:the|my|our|this|that)\s+(?:\w+\s+){{0,2}}?"
    rf"d[mc][mc]a\s+(?:take[\s-]*down|notice|request|claim)"
    rf"|{_WHAT}\s+(?:is|are)\s+(?:no\s+longer|not)\s+(?:needed|necessary|required|valid)(?:\s+any\s*more)?"
    rf"|{_WHAT}\s+be\s+(?:withdrawn|retracted|rescinded|revoked|cancel+ed)"  # asked of someone: maybe the objector
    r"|\ba\s+mistake\s+in\s+our\s+(?:findings|notice|request|claim|takedown)|\bhave\s+the\s+dmca\s+(?:revoked|withdrawn)"
    r"|\bmis-?detected\b|\b(?:was|were|been)\s+(?:sent|filed|submitted|issued)\s+(?:by|in)\s+(?:mistake|error)"
    r"|\bplease\s+(?:restore|re-?enable|reinstate)\b[^.]{0,80}?\b(?:we|i)\s+(?:\w+\s+){0,3}?(?:no\s+longer|have\s+no)\s+claim",
    re.IGNORECASE,
)


def classify_message(subject: str, text: str, *, threads_to_notice: bool = False) -> MessageKind:
    """A retraction or a counter-notice is recognised by what it says; anything else that threads
    to one of our notices supplements it; the rest is a takedown (intake decides whether it names
    anything of ours)."""
    flat = " ".join(f"{subject}\n{_unquoted(text)}".split())
    if _RETRACTION.search(flat):
        return MessageKind.RETRACTION
    if _COUNTER.search(flat) or _COUNTER_SUBJECT.search(subject):
        return MessageKind.COUNTER_NOTICE
    if _ADMITTED_ERROR.search(flat):
        return MessageKind.RETRACTION
    if threads_to_notice:
        return MessageKind.SUPPLEMENT
    return MessageKind.TAKEDOWN


def _unquoted(text: str) -> str:
    """A reply quotes our words back; only the sender's own lines say what the message is."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
