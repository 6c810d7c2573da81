"""The signature of a notice: the name the sender typed to sign it, and the line it stands on.

Read the ways real notices sign, strongest first: `/s/ Name`; a "Signature:"/"Signed:" label with its
value on the same or the next line; the answer under a form's signing prompt ("Please type your full
legal name below to sign this request"); a name written between slashes; the name closing a letter
after "Sincerely"/"Regards" and their German, French, Spanish, Polish and Ukrainian equivalents; the
typed name right after the perjury statement. Whatever the position, a URL, a form answer (yes, no,
n/a), a label, a greeting or a thanks line is never a signature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.parsing.notice_lines import REDACTION, REDACTION_TOKEN, Line, Source, source_of

MAX_LENGTH = 120
_S_SLASH = re.compile(r"(?:^|\s)/{1,2}s/{1,2}\s*(.*)$", re.IGNORECASE)
_ANSWER_MARK = re.compile(
    r"^(?:(?:答|answer|a|antwort|réponse|respuesta|odpowied[zź]|відповідь|ответ)\s*[:：]|[=-]+>)\s*", re.IGNORECASE)
_DATE = re.compile(r"[,;]?\s*(?:\d{1,2}\.?\s+\w+\.?\s+\d{4}|\w+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}"
                   r"|\d{1,2}[./]\d{1,2}[./]\d{2,4})\s*$")
_SEPARATOR = re.compile(r"^[-=_*~#\s]+$")
_LABEL = re.compile(
    r"^(?:(?:electronic|digital|typed|e-?)\s*)?(?:signature|signed(?:\s+by)?|sign)"
    r"|^(?:elektronische\s+)?unterschrift|^unterzeichnet(?:\s+von)?|^signature\s+électronique|^signé(?:\s+par)?"
    r"|^firma(?:\s+electr[oó]nica)?|^firmado(?:\s+por)?|^podpis(?:\s+elektroniczny)?|^podpisano"
    r"|^(?:електронний\s+)?підпис|^підписано|^подпись"
    r"|^name(?:\s+and\s+title)?\s+of\s+(?:the\s+)?(?:\w+\s+){0,2}?(?:representative|signatory)$",
    re.IGNORECASE,
)
_SLASHED = re.compile(r"^/{1,2}\s*([^/:]{2,80}?)\s*/{1,2}(?:$|[\s,])")
_LABEL_VALUE = re.compile(r"^([^:]{2,40}?)\s*[:：]\s*(.*)$")
_PROMPT = re.compile(
    r"type\s+(?:in\s+)?your\s+(?:\w+\s+){0,3}?name|(?:full|legal)\s+name\s+(?:below|here)|sign\s+(?:this|the)\s+"
    r"(?:request|notice|notification|counter[\s-]*notice|form)|your\s+(?:physical\s+or\s+)?electronic\s+signature"
    r"|(?:signature|name)\s+of\s+(?:the\s+)?(?:copyright\s+owner|owner|claimant|complainant|authori[sz]ed)"
    r"|geben\s+sie\s+ihren\s+(?:vollständigen\s+)?namen|tapez\s+votre\s+nom|escriba\s+su\s+nombre"
    r"|wpisz\s+(?:swoje\s+)?imię|введіть\s+(?:ваше\s+)?(?:повне\s+)?ім",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(?:(?:yours\s+)?(?:sincerely|faithfully|truly|respectfully)(?:\s+yours)?|(?:very\s+)?truly\s+yours"
    r"|signed|truthfully|(?:best|kind|warm|warmest|kindest)?\s*regards|best(?:\s+wishes)?|all\s+the\s+best|cheers|respectfully\s+submitted"
    r"|thanks?(?:\s+you)?(?:\s+(?:again|in\s+advance|very\s+much|so\s+much))?|many\s+thanks|with\s+thanks"
    r"|mit\s+freundlichen\s+grüßen|freundliche\s+grüße|viele\s+grüße|beste\s+grüße|mfg|hochachtungsvoll"
    r"|cordialement|bien\s+(?:cordialement|à\s+vous)|salutations(?:\s+distinguées)?|sincères\s+salutations"
    r"|atentamente|saludos(?:\s+cordiales)?|un\s+saludo|cordialmente"
    r"|z\s+poważaniem|pozdrawiam|z\s+wyrazami\s+szacunku|łączę\s+pozdrowienia"
    r"|з\s+повагою|щиро\s+ваш\w*|с\s+уважением)\b[\s,.!:;—–-]*",
    re.IGNORECASE,
)
_ANSWERS = {
    "yes", "no", "n/a", "na", "n.a", "n.a.", "none", "nothing", "true", "false", "ok", "okay", "agree", "i agree",
    "agreed", "x", "[x]", "checked", "confirmed", "ja", "nein", "oui", "non", "sí", "si", "tak", "nie", "так", "ні",
    "да", "нет", "-", "—", "unknown", "not applicable", "see above", "see below", "confirm", "i confirm",
}
_GREETING = re.compile(
    r"^(?:dear|hi|hello|hey|greetings|good\s+(?:morning|afternoon|evening|day)|to\s+whom|sehr\s+geehrte|hallo"
    r"|guten\s+tag|liebe|bonjour|madame|monsieur|hola|estimad[oa]s?|szanown|dzień\s+dobry|witam|шановн|добр\w+\s+день"
    r"|здравствуй|вітаю)\b",
    re.IGNORECASE,
)
_POINTER = re.compile(r"\b(?:see\s+(?:attached|above|below|enclosed)|attached|enclosed|on\s+file)\b", re.IGNORECASE)
# A sentence about something else: "I have read in detail", "We are the owners".
_SENTENCE_START = re.compile(r"^(?:I|We|My|Our|Please|This|It|You)\s+[a-z]"
                             r"|\s(?:is|are|was|were|am|have|has|will|would|should|can)\s"
                             r"|(?i:\b(?:rega?r?ds|sincerely|respectfully)\b)")
_PARTICLES = {"of", "and", "for", "the", "de", "van", "von", "der", "den", "da", "di", "du", "la", "le", "y", "on",
              "behalf", "by", "at", "&", "und", "et", "i", "z"}
_THANKS = re.compile(r"\b(?:thanks?|thank\s+you|danke|merci|gracias|dziękuj|дякую|спасибо)\b", re.IGNORECASE)
# Words of labels and headings ("Agent Contacts", "Contact information", "Name and title").
_HEADING_WORDS = {
    "agent", "agents", "contact", "contacts", "information", "info", "details", "address", "addresses", "phone",
    "telephone", "email", "e-mail", "fax", "name", "names", "title", "signature", "signed", "date", "company",
    "organisation", "organization", "and", "of", "the", "our", "your", "my", "legal", "full", "position",
    "department", "copyright", "owner", "representative", "kontakt", "kontaktdaten", "adresse", "coordonnées",
    "contacto", "datos", "dane", "kontaktowe", "контакти", "контактні", "дані", "sender", "claimant", "notice",
    "digital", "electronic", "electronically", "submitted", "for", "claim", "claims", "form", "by", "sent", "from", "regards", "request", "statement", "statements",
}
_LETTERS = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Signature:
    value: str
    source: Source


def find_signature(lines: list[Line], *, perjury_line: int = 0) -> Signature | None:
    lines = [line for line in lines if line.plain]
    for finder in (_slash_s, _labelled, _under_prompt, _slashed_name, _after_closing):
        if found := finder(lines):
            return found
    return (_after_perjury(lines, perjury_line) if perjury_line else None) or _closing_name(lines)


def _slash_s(lines: list[Line]) -> Signature | None:
    for index, line in enumerate(lines):
        if match := _S_SLASH.search(line.plain):
            value = match.group(1).strip()
            if is_name(value, slashed=True):
                return _signed(value, source_of([line]))
            if not value and index + 1 < len(lines) and is_name(lines[index + 1].plain):
                return _signed(lines[index + 1].plain, source_of(lines[index:index + 2]))
    return None


def _labelled(lines: list[Line]) -> Signature | None:
    for index, line in enumerate(lines):
        match = _LABEL_VALUE.match(line.plain)
        if not match or not _LABEL.match(match.group(1)) or len(match.group(1).split()) > 8:
            continue
        value = _unslashed(match.group(2))
        if value:
            if is_name(value):
                return _signed(value, source_of([line]))
            continue  # a label with a non-name value ("Signature: see attached") signs nothing
        if index + 1 < len(lines) and is_name(nxt := _unslashed(lines[index + 1].plain)):
            return _signed(nxt, source_of(lines[index:index + 2]))
    return None


def _under_prompt(lines: list[Line]) -> Signature | None:
    for index in reversed(range(len(lines))):
        line = lines[index]
        if not _PROMPT.search(line.plain):
            continue
        inline = _after_prompt(line)
        if inline and is_name(inline):
            return _signed(inline, source_of([line]))
        for answer in lines[index + 1:index + 3]:
            value = _unslashed(answer.plain)
            if is_name(value, lenient=True):
                return _signed(value, source_of([answer]))
            if answer.bold or _PROMPT.search(answer.plain):
                break  # the next question: this prompt went unanswered
    return None


def _after_prompt(line: Line) -> str:
    """The answer typed on the prompt's own line: after the bold question, or after its colon."""
    raw = line.raw.strip()
    if raw.startswith(("**", "__")) and (end := raw.find(raw[:2], 2)) > 0:
        return _unslashed(" ".join(raw[end + 2:].replace("*", " ").split()))
    if ":" in line.plain and not line.plain.endswith(":"):
        return _unslashed(line.plain.rsplit(":", 1)[1].strip())
    return ""


def _slashed_name(lines: list[Line]) -> Signature | None:
    for line in lines:
        if (match := _SLASHED.match(line.plain)) and match.end() >= len(line.plain.rstrip()) - 1 \
                and is_name(value := match.group(1)):
            return _signed(value, source_of([line]))
    return None


def _after_closing(lines: list[Line]) -> Signature | None:
    for index in reversed(range(len(lines))):
        match = _CLOSING.match(lines[index].plain)
        if not match:
            continue
        rest = lines[index].plain[match.end():].strip()
        if rest and is_name(rest):  # "Sincerely, Jane Roe" on one line
            return _signed(rest, source_of([lines[index]]))
        if rest:
            continue  # a sentence starting with "Thanks for …", not a closing
        for following in lines[index + 1:index + 3]:
            value = _unslashed(following.plain)
            if is_name(value):
                return _signed(value, source_of([following]))
            if _CLOSING.fullmatch(following.plain) or _heading(following.plain):
                continue  # "Thanks," then "Best regards," then the name; or a heading over it
            break
    return None


def last_closing(lines: list[Line]) -> int:
    """The line of the last closing ("Regards,", "Thanks!"), 0 without one: links below it are a footer."""
    return max((line.number for line in lines if _CLOSING.fullmatch(line.plain)), default=0)


def _closing_name(lines: list[Line]) -> Signature | None:
    """A plain email often ends with the sender's name on its own line, after a blank line."""
    if len(lines) < 2:
        return None
    last, before = lines[-1], lines[-2]
    if last.number > before.number + 1 and is_name(last.plain) and len(last.plain.split()) <= 4:
        return _signed(last.plain, source_of([last]))
    return None


def _after_perjury(lines: list[Line], perjury_line: int) -> Signature | None:
    """A typed name closing the notice right after the perjury statement is an electronic signature
    (E-SIGN), and many notices sign that way rather than with "/s/"."""
    following = [line for line in lines if line.number > perjury_line and not _SEPARATOR.match(line.plain)
                 and not _heading(line.plain)]
    by_number = {line.number: line for line in lines}
    for line in following[:3]:
        before = by_number.get(line.number - 1)
        if before and not before.plain.rstrip("*_\"”' ").endswith((".", "!", "?", ":")):
            break  # the line goes on with the sentence above it ("… such as" / "Leetcode and Codesignal")
        if is_name(line.plain) and line.plain[:1].isupper() or REDACTION_TOKEN.match(line.plain):
            return _signed(line.plain, source_of([line]))
        if len(line.plain.split()) <= 8:
            break  # a short line that is no name: the notice goes on with something else
    return None


def _signed(value: str, source: Source) -> Signature:
    return Signature(_tidy(value), source)  # kept whole; is_name bounds most of them


def _tidy(text: str) -> str:
    return text.strip().rstrip(",;=\"'”’ ").lstrip("\"'“‘ ")


def _heading(text: str) -> bool:
    return all(word.strip(",.:;()").casefold() in _HEADING_WORDS for word in text.split())


def _unslashed(text: str) -> str:
    text = text.strip()
    if text.lower().startswith("/s/"):
        return text[3:].strip()
    text = _ANSWER_MARK.sub("", text)
    if match := _SLASHED.match(text):
        return match.group(1).strip()  # "/Jane Roe/", the slashed form of a typed signature
    return text


def is_name(text: str, *, lenient: bool = False, slashed: bool = False) -> bool:
    """Could this be a typed name (with a title or company after it)? `lenient` for an answer right
    under a signing prompt, where a lower-case name is still the name the person typed; `slashed` for
    what follows "/s/", where a department ("Legal Department") signs as surely as a person."""
    text = _tidy(text)
    if REDACTION.match(text):
        return True
    text = REDACTION_TOKEN.sub("Private", text)  # "[private], Legal Counsel": a redacted name and a title
    text = _DATE.sub("", text).strip()  # "Jane Roe, 6 June 2018"
    words = text.split()
    if not (0 < len(text) <= MAX_LENGTH and 0 < len(words) <= (14 if lenient or slashed else 8)):
        return False
    folded = text.casefold().rstrip(" .,!;")
    if (":" in text or "：" in text or "www." in folded or "@" in text or text.endswith((":", "?")) or folded in _ANSWERS
            or _GREETING.match(text) or _THANKS.search(text) or _CLOSING.fullmatch(text) or _POINTER.search(text)
            or _SENTENCE_START.search(text)):
        return False
    if not slashed and _heading(text):
        return False
    if sum(ch.isdigit() for ch in text) > 2 or not _LETTERS.match(text[0]):
        return False
    if text.endswith(".") and len(words) > 3 and words[-1][:1].islower():
        return False  # a sentence (a name may end "Inc." or "Ltd.")
    head = text.split(",")[0].split()  # a title after the comma may be lower case: "Олег Шевчук, головний редактор"
    lower = [w for w in head if w[:1].islower() and w.strip(",.()").casefold() not in _PARTICLES]
    if not lenient and not slashed and len(lower) >= 2 and len(lower) * 2 >= len(head):
        return False  # a phrase ("Summary of legal response"), not a name with its title
    return lenient or text[0].isupper()
