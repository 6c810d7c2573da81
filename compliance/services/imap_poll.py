"""Polling a mailbox over IMAP (imap-tools): new mail is stored raw, then marked seen."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags

from compliance.models import InboundMessage
from compliance.services.mail_intake import store_inbound

MAILBOX_BY_SCHEME = {"imaps": (MailBox, 993), "imap+starttls": (MailBoxStartTls, 143),
                     "imap": (MailBoxUnencrypted, 143)}


class ImapUrlInvalid(ValueError):
    pass


@dataclass(frozen=True)
class ImapAccount:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str


def parse_imap_url(url: str) -> ImapAccount:
    """imaps://user:password@host[:port]/FOLDER (imap:// only for a server on this machine)."""
    parts = urlsplit(url)
    if parts.scheme not in MAILBOX_BY_SCHEME:
        raise ImapUrlInvalid(f"IMAP_URL scheme must be one of {', '.join(MAILBOX_BY_SCHEME)}")
    if not (parts.hostname and parts.username and parts.password):
        raise ImapUrlInvalid("IMAP_URL needs a user, a password and a host")
    return ImapAccount(parts.scheme, parts.hostname, parts.port or MAILBOX_BY_SCHEME[parts.scheme][1],
                       unquote(parts.username), unquote(parts.password), unquote(parts.path.strip("/")) or "INBOX")


def poll_mailbox(url: str, *, limit: int = 200) -> int:
    """Store up to ``limit`` unseen messages. A message is marked seen only after it is stored,
    so a crash in between means it is fetched again, and stored once (same Message-ID and body)."""
    account = parse_imap_url(url)
    mailbox_class = MAILBOX_BY_SCHEME[account.scheme][0]
    stored = 0
    with mailbox_class(account.host, account.port).login(account.user, account.password, account.folder) as box:
        for uid in box.uids(AND(seen=False))[:limit]:
            status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in data if isinstance(part, tuple)), None)
            if status != "OK" or raw is None:
                continue
            store_inbound(raw, via=InboundMessage.Via.IMAP)
            box.flag(uid, MailMessageFlags.SEEN, True)
            stored += 1
    return stored
