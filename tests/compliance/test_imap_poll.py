"""Polling a real IMAP server (pymap, in memory, started for the test on a free port)."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from imap_tools import AND, MailBoxUnencrypted

from compliance.models import InboundMessage
from compliance.services.imap_poll import ImapUrlInvalid, parse_imap_url, poll_mailbox

pytestmark = pytest.mark.django_db
PYMAP = Path(sys.executable).with_name("pymap")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def imap_server():
    port = _free_port()
    server = subprocess.Popen([str(PYMAP), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict",
                               "--demo-user", "takedown", "--demo-password", "pw"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=10)


def _deliver(port: int, *raws: bytes) -> None:
    with MailBoxUnencrypted("127.0.0.1", port).login("takedown", "pw") as box:
        for raw in raws:
            box.append(raw, "INBOX")


def test_unseen_mail_is_stored_byte_for_byte_and_marked_seen(imap_server, corpus):
    raws = [(corpus / name).read_bytes() for name in ("01-dmca-plain.eml", "05-russian-koi8r.eml")]
    _deliver(imap_server, *raws)
    url = f"imap://takedown:pw@127.0.0.1:{imap_server}/INBOX"

    assert poll_mailbox(url) == 2
    assert poll_mailbox(url) == 0

    stored = {bytes(m.raw).replace(b"\r\n", b"\n") for m in InboundMessage.objects.all()}
    assert stored == {raw.replace(b"\r\n", b"\n") for raw in raws}
    assert set(InboundMessage.objects.values_list("via", flat=True)) == {"imap"}
    with MailBoxUnencrypted("127.0.0.1", imap_server).login("takedown", "pw") as box:
        assert box.uids(AND(seen=False)) == []


def test_the_same_mail_delivered_twice_is_one_message(imap_server, corpus):
    raw = (corpus / "01-dmca-plain.eml").read_bytes()
    _deliver(imap_server, raw, raw)

    poll_mailbox(f"imap://takedown:pw@127.0.0.1:{imap_server}/")

    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize("url, message", [
    ("pop3://u:p@host/", "scheme must be"),
    ("imaps://host/INBOX", "needs a user"),
])
def test_bad_imap_url_says_why(url, message):
    with pytest.raises(ImapUrlInvalid, match=message):
        parse_imap_url(url)


def test_imap_url_defaults():
    account = parse_imap_url("imaps://takedown%40news.example:p%40ss@mail.example/")

    assert (account.user, account.password, account.port, account.folder) == (
        "takedown@news.example", "p@ss", 993, "INBOX")
