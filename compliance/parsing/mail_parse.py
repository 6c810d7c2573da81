"""Turn the raw bytes of an inbound mail into a structured, fully decoded result.

Pure: no Django, no database, no network. Any bytes in must give a ParsedMail out,
because the raw message is already stored and staff need to see what could be read.
compat32 is used on purpose: policy.default raises lazily on bad headers and on
unknown charsets (see DESIGN.md, "Pitfalls known in advance").
"""

from __future__ import annotations

import codecs
import email
import email.policy
import email.utils
import hashlib
import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.header import Header, decode_header
from email.message import Message
from email.parser import BytesHeaderParser

import lxml.html
from lxml import etree

from compliance.parsing.notice_text import find_urls, is_web_url

try:
    import charset_normalizer
except ImportError:  # detection is a nicety: without it we fall back to utf-8 with replacement
    charset_normalizer = None

DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_FILENAME_LENGTH = 255  # InboundAttachment.filename
_MAX_DEPTH = 30  # deeper nesting is hostile, not a mail anyone wrote
_DETECT_SAMPLE = 64 * 1024  # detection on a prefix keeps a 30 MB text part cheap
# Unrestricted detection reads short koi8-r or latin-1 text as UTF-16 or Shift-JIS; our senders
# write European languages and Cyrillic, and CJK mail that declares no usable charset is rare.
_DETECT_CANDIDATES = [
    "cp1252", "cp1250", "cp1251", "koi8_r", "koi8_u", "iso8859_2", "iso8859_5", "iso8859_15",
    "cp866", "cp1253", "cp1254", "cp1257", "mac_cyrillic",
]
_CHARSET_ALIASES = {  # names MUAs send that Python lacks, or that lie (WHATWG: latin-1 means cp1252)
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "ascii",
    "x-cp1251": "cp1251", "win-1251": "cp1251", "cp-1251": "cp1251", "windows-874": "cp874",
    "iso-8859-8-i": "iso-8859-8", "iso-8859-6-i": "iso-8859-6", "gb2312": "gb18030",
    "gbk": "gb18030", "x-gbk": "gb18030", "ks_c_5601-1987": "cp949", "big5": "big5hkscs",
    "x-sjis": "shift_jis", "windows-31j": "cp932", "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-roman": "mac-roman", "unicode-1-1-utf-7": "utf-7",
}
# Escape codecs would turn "\x41"-style text in a hostile mail into other characters.
_REFUSED_CODECS = {"unicode-escape", "raw-unicode-escape", "idna", "punycode"}
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_MSGID = re.compile(r"<([^<>\s]+)>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # PostgreSQL refuses NUL
# A notice's public reference, TD-2026-7F3KQ9 (compliance/services/references.py makes them): Crockford's
# base32, no I, L, O or U, so a reference read aloud or retyped stays the same. The one pattern that finds
# one in a subject, a Message-ID or a text.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RE = re.compile(rf"(?<![0-9A-Za-z])TD-\d{{4}}-[{REFERENCE_ALPHABET}]{{6}}(?![0-9A-Za-z])")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_HTML_DROP = ("script", "style", "head", "title", "template", "noscript")
_HTML_BLOCKS = frozenset(
    "p div br li ul ol tr table h1 h2 h3 h4 h5 h6 blockquote pre section article header "
    "footer address hr dd dt dl".split()
)


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    size: int
    sha256: str
    content: bytes | None


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    in_reply_to: tuple[str, ...]
    subject: str
    from_name: str
    from_address: str
    reply_to: str
    to_addresses: tuple[str, ...]
    date: datetime | None
    text: str
    html_hrefs: tuple[str, ...]
    urls: tuple[str, ...]
    attachments: tuple[MailAttachment, ...]
    kind: str
    references_tag: str
    defects: tuple[str, ...]
    body_sha256: str


def parse_mail(raw: bytes, *, max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES) -> ParsedMail:
    data = bytes(raw)
    try:
        return _parse(data, max_attachment_bytes)
    except Exception as exc:  # the contract is "never raise": staff still get the stored raw bytes
        return _unparseable(data, exc)


def _read_message(data: bytes, notes: list[str]) -> Message:
    try:
        return email.message_from_bytes(data, policy=email.policy.compat32)
    except RecursionError:  # the stdlib parser recurses once per MIME level
        notes.append("MIME nesting too deep; inner parts ignored")
    except (TypeError, ValueError):  # a boundary parameter the stdlib cannot decode (see _param)
        notes.append("unreadable MIME boundary; body shown as raw text")
    # Headers only: the body stays one raw part, which _body_kind shows as plain text.
    return BytesHeaderParser(policy=email.policy.compat32).parsebytes(data)


def _parse(data: bytes, max_attachment_bytes: int) -> ParsedMail:
    notes: list[str] = []
    msg = _read_message(data, notes)
    parts = _walk(msg, 0, notes)
    from_name, from_address = _address(_header(msg, "from", notes, raw=True), notes)
    subject = _header(msg, "subject", notes)
    text, hrefs = _body(msg, parts, notes)
    leaves = [p for p in parts if _children(p) is None]
    attachments = tuple(_attachment(p, max_attachment_bytes, notes) for p in leaves if not _body_kind(p))
    notes += [_defect_note(d) for p in parts for d in p.defects]  # last: decoding adds defects lazily
    return ParsedMail(
        message_id=_message_id(_header(msg, "message-id", notes)),
        in_reply_to=_unique(
            _message_ids(" ".join(_headers(msg, "in-reply-to", notes) + _headers(msg, "references", notes)))
        ),
        subject=subject,
        from_name=from_name,
        from_address=from_address,
        reply_to=_address(_header(msg, "reply-to", notes, raw=True), notes)[1],
        to_addresses=_unique(_addresses(_headers(msg, "to", notes, raw=True), notes)),
        date=_date(_header(msg, "date", notes)),
        text=text,
        html_hrefs=hrefs,
        urls=_unique(find_urls(text) + hrefs),
        attachments=attachments,
        kind=_kind(msg, parts, from_address, notes),
        references_tag=(m.group(0) if (m := REFERENCE_RE.search(subject)) else ""),
        defects=_unique(notes),
        body_sha256=_body_hash(text),
    )


def _unparseable(data: bytes, exc: Exception) -> ParsedMail:
    return ParsedMail(
        message_id="", in_reply_to=(), subject="", from_name="", from_address="", reply_to="",
        to_addresses=(), date=None, text="", html_hrefs=(), urls=(), attachments=(), kind="message",
        references_tag="", defects=(f"internal parser error: {type(exc).__name__}",),
        # hashing the raw bytes keeps two different unreadable mails from deduplicating
        body_sha256=hashlib.sha256(data).hexdigest(),
    )


# --- decoding ------------------------------------------------------------------------------


def _codec(charset: str | None) -> str | None:
    name = (charset or "").strip().strip("\"'").lower().split("*", 1)[0]  # RFC 2231 "utf-8*en"
    if not name:
        return None
    try:
        codec = codecs.lookup(_CHARSET_ALIASES.get(name, name)).name
    except (LookupError, ValueError):
        return None
    return None if codec in _REFUSED_CODECS else codec


def _detect(data: bytes) -> str | None:
    if charset_normalizer is None:
        return None
    try:
        best = charset_normalizer.from_bytes(data[:_DETECT_SAMPLE], cp_isolation=_DETECT_CANDIDATES).best()
    except Exception:  # a third-party guess must never cost us the mail
        return None
    return best.encoding if best else None


def _decode(data: bytes, charset: str | None, notes: list[str], where: str) -> str:
    codec = _codec(charset)
    if charset and codec is None:
        notes.append(f"{where}: unknown charset {charset.strip()[:40]!r}")
    for attempt in (codec, "utf-8"):
        if attempt:
            try:
                return data.decode(attempt)
            except (UnicodeError, LookupError):  # LookupError: a bytes-to-bytes codec like base64
                pass
    guess = _detect(data)
    problem = f"bytes do not match charset {charset.strip()[:40]!r}" if charset else "8-bit bytes without a charset"
    notes.append(f"{where}: {problem}; decoded as {guess or 'utf-8 with replacements'}")
    try:
        return data.decode(guess or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _clean(value: str, *, single_line: bool = False) -> str:
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return " ".join(value.split()) if single_line else value


def _unraw(value: str | Header, notes: list[str], where: str) -> str:
    if isinstance(value, Header):  # compat32 wraps headers holding raw 8-bit bytes
        raw = b"".join(c if isinstance(c, bytes) else c.encode() for c, _ in decode_header(value))
        return _decode(raw, None, notes, where)
    return value


def _decode_words(value: str, notes: list[str], where: str) -> str:
    out: list[str] = []
    end = 0
    for match in _ENCODED_WORD.finditer(value):
        gap = value[end : match.start()]
        if not (end and gap.isspace()):  # RFC 2047: space between two encoded words is dropped
            out.append(gap)
        try:
            chunks = decode_header(match.group(0))
        except HeaderParseError:
            notes.append(f"{where}: undecodable encoded word")
            chunks = [(match.group(0), None)]
        out += [_decode(c, cs, notes, where) if isinstance(c, bytes) else c for c, cs in chunks]
        end = match.end()
    return "".join(out) + value[end:]


def _headers(msg: Message, name: str, notes: list[str], *, raw: bool = False) -> list[str]:
    values = [_unraw(v, notes, name) for v in msg.get_all(name) or []]
    values = [re.sub(r"\r?\n(?=[ \t])", "", v) for v in values]  # unfold
    return [_clean(v if raw else _decode_words(v, notes, name), single_line=True) for v in values]


def _header(msg: Message, name: str, notes: list[str], *, raw: bool = False) -> str:
    return next(iter(_headers(msg, name, notes, raw=raw)), "")


# --- headers -------------------------------------------------------------------------------


def _address(value: str, notes: list[str]) -> tuple[str, str]:
    """Parse before decoding, so a decoded name holding ',' or '<' cannot break the address."""
    name, addr = email.utils.parseaddr(value)
    if not _addr_spec(addr):  # some clients encode the whole "Name <addr>" as one encoded word
        name, addr = email.utils.parseaddr(_decode_words(value, notes, "address"))
    return _clean(_decode_words(name, notes, "address"), single_line=True).strip("\"' "), _addr_spec(addr)


def _addresses(values: list[str], notes: list[str]) -> list[str]:
    found = [_addr_spec(a) for _, a in email.utils.getaddresses(values)]
    if any(found):
        return found
    return [_addr_spec(a) for _, a in email.utils.getaddresses([_decode_words(v, notes, "address") for v in values])]


def _addr_spec(addr: str) -> str:
    addr = addr.strip().lower()
    local, _, domain = addr.rpartition("@")
    return addr if local and domain and not re.search(r"[\s<>,;\"]", addr) else ""


def _message_id(value: str) -> str:
    ids = _MSGID.findall(value) or value.split()[:1]
    return ids[0].strip("<>") if ids else ""


def _message_ids(value: str) -> list[str]:
    return _MSGID.findall(value) or [t.strip("<>") for t in value.split() if "@" in t]


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):  # year 0, "+9999" offsets, junk
        return None


def _kind(msg: Message, parts: list[Message], from_address: str, notes: list[str]) -> str:
    def values(name: str) -> list[str]:
        return [v.strip().lower() for v in _headers(msg, name, notes)]

    if any(v.startswith("yes") for v in values("x-spam-flag") + values("x-spam-status")):
        return "spam"
    if _is_bounce(msg, parts, from_address, notes) or "<>" in [v.replace(" ", "") for v in values("return-path")]:
        return "bounce"  # decided before auto-reply, because DSNs carry Auto-Submitted too
    auto = {v.split(";")[0].strip() for v in values("auto-submitted")} - {"", "no"}
    precedence = set(values("precedence")) & {"bulk", "junk", "list", "auto_reply"}
    flagged = msg.get("x-autoreply") is not None or msg.get("x-autorespond") is not None
    return "auto_reply" if auto or precedence or flagged else "message"


def _is_bounce(msg: Message, parts: list[Message], from_address: str, notes: list[str]) -> bool:
    report = _param(lambda: msg.get_param("report-type"), notes).lower()
    if msg.get_content_type() == "multipart/report" and report == "delivery-status":
        return True
    daemon = from_address.split("@")[0] in {"mailer-daemon", "postmaster"}
    return daemon and any(p.get_content_type() == "message/delivery-status" for p in parts)


# --- MIME structure --------------------------------------------------------------------------


def _children(part: Message) -> list[Message] | None:
    """Only multipart/* and attached messages are containers; a DSN's header blocks are not mail."""
    if not part.is_multipart():  # get_payload() here would decode str payloads with a hostile charset
        return None
    payload = part.get_payload()
    if part.get_content_maintype() == "multipart" or part.get_content_type() in ("message/rfc822", "message/global"):
        return [p for p in payload if isinstance(p, Message)]
    return []


def _walk(part: Message, depth: int, notes: list[str]) -> list[Message]:
    if depth > _MAX_DEPTH:
        notes.append("MIME nesting too deep; inner parts ignored")
        return []
    return [part] + [p for child in _children(part) or [] for p in _walk(child, depth + 1, notes)]


def _readable(part: Message, depth: int = 0) -> list[Message]:
    """Leaf parts that make up the body, taking one branch of each multipart/alternative."""
    kids = _children(part)
    if depth > _MAX_DEPTH:
        return []
    if kids is None:
        return [part] if _body_kind(part) else []
    branches = [_readable(k, depth + 1) for k in kids]
    if part.get_content_type() != "multipart/alternative":
        return [leaf for branch in branches for leaf in branch]
    for wanted in ("plain", "html"):  # plain text is what the sender chose to say in words
        for branch in branches:
            if any(_body_kind(leaf) == wanted for leaf in branch):
                return branch
    return []


def _body_kind(part: Message) -> str | None:
    if part.get_content_disposition() == "attachment":
        return None
    if part.get_content_type() == "text/plain" or part.get_content_maintype() == "multipart":
        return "plain"  # a multipart that is still a leaf lost its boundary: its raw text is all we have
    return "html" if part.get_content_type() == "text/html" else None


def _part_text(part: Message, notes: list[str]) -> str:
    if part.get_content_maintype() == "multipart":
        notes.append("multipart without a usable boundary; body shown as plain text")
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = _param(part.get_content_charset, notes)
    return _clean(_decode(data, charset or None, notes, f"{part.get_content_type()} part"))


def _body(msg: Message, parts: list[Message], notes: list[str]) -> tuple[str, tuple[str, ...]]:
    rendered = {id(p): _html(_part_text(p, notes)) for p in parts if _children(p) is None and _body_kind(p) == "html"}
    leaves = _readable(msg)
    plains = [_part_text(p, notes) for p in leaves if _body_kind(p) == "plain"]
    htmls = [rendered[id(p)][0] for p in leaves if id(p) in rendered]
    text = "\n\n".join(t.strip("\n") for t in (plains or htmls) if t.strip())
    # hrefs come from every HTML part, even when the plain alternative supplied the text
    return text, _unique(href for _, hrefs in rendered.values() for href in hrefs)


def _attachment(part: Message, limit: int, notes: list[str]) -> MailAttachment:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    name = _filename(part, notes)
    if len(data) > limit:
        notes.append(f"attachment {name!r} is {len(data)} bytes, over the {limit}-byte limit; content dropped")
    return MailAttachment(
        filename=name,
        content_type=part.get_content_type(),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data if len(data) <= limit else None,
    )


def _filename(part: Message, notes: list[str]) -> str:
    probe = part
    if any(isinstance(part.get(h), Header) for h in ("content-disposition", "content-type")):
        probe = Message()  # re-parse raw 8-bit parameters as text, or compat32 turns them into U+FFFD
        for h in ("content-disposition", "content-type"):
            if part.get(h) is not None:
                probe[h] = _unraw(part.get(h), notes, "attachment filename")
    name = _decode_words(_param(probe.get_filename, notes), notes, "attachment filename")
    name = re.split(r"[/\\]", _clean(name, single_line=True))[-1]  # never let a sender pick a path
    if len(name) > MAX_FILENAME_LENGTH:  # a column's limit: the cut is said, the raw message keeps it whole
        notes.append(f"attachment filename is {len(name)} characters; the first {MAX_FILENAME_LENGTH} are kept")
    return "" if name in (".", "..") else name[:MAX_FILENAME_LENGTH]


def _param(read: Callable[[], object], notes: list[str]) -> str:
    """A MIME parameter, or "" when the stdlib cannot read it: email.utils.decode_params raises
    TypeError on mixed "name*" / "name*1" continuations, and decoding raises on a NUL charset."""
    try:
        value = read()
    except (TypeError, ValueError, LookupError, UnicodeError):
        notes.append("malformed MIME: unreadable parameter")
        return ""
    return str(email.utils.collapse_rfc2231_value(value)) if value else ""


def _defect_note(defect: Exception) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(defect).__name__.removesuffix("Defect")).lower()
    return f"malformed MIME: {words}"


# --- HTML -------------------------------------------------------------------------------


def _html(markup: str) -> tuple[str, list[str]]:
    """Readable text and hrefs; quoted blocks become '> ' lines so reply quotes stay excluded."""
    markup = _XML_DECLARATION.sub("", _clean(markup))  # lxml refuses NUL and control characters
    try:
        root = lxml.html.document_fromstring(markup) if markup.strip() else None
    except (etree.LxmlError, ValueError):
        root = None
    if root is None or not isinstance(root.tag, str):  # empty, or nothing but a comment
        return _tidy(html.unescape(_TAG.sub(" ", markup))), []
    hrefs = [
        "".join((a.get("href") or "").split())  # browsers drop whitespace wrapped into URLs
        for a in root.iter("a", "area")
        if not any(anc.tag == "blockquote" for anc in a.iterancestors())
    ]
    for el in [e for e in root.iter(*_HTML_DROP) if e is not root]:
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _HTML_BLOCKS:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    for quote in reversed(list(root.iter("blockquote"))):  # innermost first, so nesting adds "> > "
        inner = _tidy(quote.text_content())
        quote.clear(keep_tail=True)
        quote.text = "\n" + "\n".join("> " + line for line in inner.splitlines()) + "\n"
    return _tidy(root.text_content()), [h for h in hrefs if is_web_url(h)]


def _tidy(text: str) -> str:
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _body_hash(text: str) -> str:
    # Whitespace-insensitive, so the same notice rewrapped by another client still matches.
    return hashlib.sha256(" ".join(unicodedata.normalize("NFC", text).split()).encode()).hexdigest()
