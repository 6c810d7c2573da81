import mailbox
from collections import Counter
from pathlib import Path
from typing import Iterator

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from compliance.models import InboundMessage
from compliance.services.mail_intake import process_inbound, store_inbound


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def messages_in(path: Path) -> Iterator[bytes]:
    """Raw bytes of each mail in an .eml file, a Maildir folder or an mbox file."""
    if _is_maildir(path):
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in box.iterkeys():
            yield box.get_bytes(key)
    elif path.is_dir():
        for child in sorted(path.glob("*.eml")):
            yield child.read_bytes()
    elif _is_mbox(path):
        box = mailbox.mbox(path, create=False)
        for key in box.iterkeys():
            yield box.get_bytes(key)
    else:
        yield path.read_bytes()


class Command(BaseCommand):
    help = ("Store and process mail from .eml files (or folders of them), Maildir folders or mbox files; "
            "the same mail twice is one.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        missing = [str(p) for p in options["paths"] if not p.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        counts: Counter[str] = Counter()
        with tqdm(desc="mail", unit="msg", disable=options["no_progress"], file=self.stderr._out) as bar:
            for path in options["paths"]:
                try:
                    for raw in messages_in(path):
                        self._one(raw, counts)
                        bar.update(1)
                except OSError as exc:
                    raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
        self.stdout.write(", ".join(f"{counts[k]} {k}" for k in (
            "stored", "already stored", *InboundMessage.Role.values) if counts[k] or k == "stored"))

    def _one(self, raw: bytes, counts: Counter) -> None:
        stored = store_inbound(raw, via=InboundMessage.Via.FILE)
        counts["stored" if stored.created else "already stored"] += 1
        if stored.created:
            counts[process_inbound(message_pk=stored.message.pk, now=timezone.now()).role] += 1
