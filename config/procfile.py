"""Procfiles: the processes the system runs, read and started with honcho.

``python -m config.procfile Procfile`` is ``honcho start`` with a clean stop: Ctrl-C or SIGTERM
sends each process SIGTERM (gunicorn and Celery shut down warm), waits up to ``--stop-timeout``
seconds before SIGKILL, and exits 0 when every process stopped cleanly (honcho itself always
answers a signal with 130 or 143, which ``make`` reports as an error).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import honcho.manager
from honcho.environ import expand_processes, parse_procfile
from honcho.printer import Printer

STOP_TIMEOUT_SECONDS = 20


def read(path: Path) -> dict[str, str]:
    """Process type -> command, in the file's order."""
    return dict(parse_procfile(path.read_text()).processes)


def arguments(command: str) -> list[str]:
    """A Procfile command as words, without the ``exec`` that hands the shell's place to the program."""
    words = shlex.split(command)
    return words[1:] if words[:1] == ["exec"] else words


def consumed_queues(command: str) -> set[str] | None:
    """The queues a ``celery worker`` command consumes; None when the command is no worker."""
    words = arguments(command)
    if "worker" not in words or not any(word.endswith("celery") for word in words[:1]):
        return None
    for flag in ("--queues", "-Q"):
        if flag in words:
            return {queue.strip() for queue in words[words.index(flag) + 1].split(",") if queue.strip()}
    return {"celery"}  # Celery's own default queue when none is named


@contextlib.contextmanager
def _foreground_group() -> Iterator[None]:
    """Take the terminal's foreground for this process group while the processes run.

    Ctrl-C signals the terminal's foreground process group, which holds ``make`` as well; make
    answers SIGINT by dying with "Interrupt" whatever its recipe does. Like a shell starting a
    job, we move into our own group and make it the foreground, so the keypress reaches us
    alone and make exits with our status. Not on a terminal, or in the background: unchanged.
    """
    try:
        terminal = sys.stdin.fileno()
        owner = os.tcgetpgrp(terminal) if os.isatty(terminal) else None
    except (OSError, ValueError):
        owner = None
    if owner is None or owner != os.getpgrp():
        yield
        return
    try:
        os.setpgid(0, 0)
        _hand_terminal_to(terminal, os.getpgrp())
    except OSError:
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            _hand_terminal_to(terminal, owner)


def _hand_terminal_to(terminal: int, group: int) -> None:
    # A process outside the foreground group that sets it is sent SIGTTOU, stopping it, unless ignored.
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(terminal, group)
    finally:
        signal.signal(signal.SIGTTOU, previous)


def start(procfile: Path, *, concurrency: dict[str, int], port: int, stop_timeout: float) -> int:
    manager = honcho.manager.Manager(Printer(sys.stdout, colour=sys.stdout.isatty()))
    for process in expand_processes(read(procfile), concurrency=concurrency, port=port):
        manager.add_process(process.name, process.cmd, env={**os.environ, **process.env})
    # honcho 2 has no option for the wait between SIGTERM and SIGKILL; its loop reads this constant.
    honcho.manager.KILL_WAIT = stop_timeout
    with _foreground_group():
        manager.loop()
    stopped = {name: state.get("returncode") for name, state in manager._processes.items()}
    if manager.returncode in (128 + signal.SIGINT, 128 + signal.SIGTERM):
        unclean = {name: code for name, code in stopped.items() if code != 0}
        if not unclean:
            return 0
        print(f"not stopped cleanly: {', '.join(f'{name} (rc={code})' for name, code in unclean.items())}",
              file=sys.stderr)
        return 1
    return manager.returncode or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.procfile", description=__doc__.splitlines()[0])
    parser.add_argument("procfile", type=Path)
    parser.add_argument("--concurrency", "-c", default="", help="e.g. worker=2,web=1")
    parser.add_argument("--port", "-p", type=int, default=5000, help="base of the PORT each process is given")
    parser.add_argument("--stop-timeout", type=float, default=STOP_TIMEOUT_SECONDS,
                        help="seconds between SIGTERM and SIGKILL on stop")
    options = parser.parse_args(argv)
    try:
        concurrency = {name: int(count) for name, count in
                       (pair.split("=", 1) for pair in options.concurrency.split(",") if pair)}
    except ValueError:
        parser.error(f"--concurrency {options.concurrency!r} is not NAME=COUNT[,NAME=COUNT]")
    return start(options.procfile, concurrency=concurrency, port=options.port, stop_timeout=options.stop_timeout)


if __name__ == "__main__":
    sys.exit(main())
