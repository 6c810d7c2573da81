"""Procfile.production is the production topology: every routed queue has workers, one beat, the
README shows it, and started on PostgreSQL + Redis it enforces a due deadline end to end."""

from __future__ import annotations

import ast
import hmac
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis
from celery.app.routes import Router, prepare
from django.db import connection
from django.utils import timezone

from config.procfile import arguments, consumed_queues, read
from tests.ports import free_port

REPO = Path(__file__).resolve().parents[1]
PRODUCTION = REPO / "Procfile.production"
FIRST_PARTY = ("articles", "compliance", "config", "imagerights")
BROKER = os.environ.get("CELERY_BROKER_URL", "")


def routed_queues(routes=None) -> dict[str, str]:
    """Every queue the code sends tasks to, with one place that sends there."""
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    router = Router(prepare(app.conf.task_routes if routes is None else routes), app.amqp.queues,
                    create_missing=True, app=app)
    found = {router.route({}, name)["queue"].name: f"task {name}"
             for name in app.tasks if not name.startswith("celery.")}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        if "queue" in entry.get("options", {}):
            found[entry["options"]["queue"]] = f"beat entry {name}"
    for package in FIRST_PARTY:  # apply_async(..., queue="x") and .set(queue="x") name a queue in the call
        for path in (REPO / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Call):
                    for keyword in node.keywords:
                        if keyword.arg == "queue" and isinstance(keyword.value, ast.Constant):
                            found[keyword.value.value] = f"{path.relative_to(REPO)}:{node.lineno}"
    return found


def production_queues(procfile: Path = PRODUCTION) -> set[str]:
    return set().union(*(consumed_queues(command) or set() for command in read(procfile).values()))


def unconsumed(routed: dict[str, str], procfile: Path = PRODUCTION) -> dict[str, str]:
    consumed = production_queues(procfile)
    return {queue: where for queue, where in routed.items() if queue not in consumed}


# --- the file ------------------------------------------------------------------------------------

def test_every_queue_a_task_is_routed_to_is_consumed_by_a_production_worker():
    routed = routed_queues()
    assert {"default", "sla"} <= set(routed)
    assert unconsumed(routed) == {}


def test_a_task_routed_to_a_queue_no_worker_consumes_is_caught():
    from config.celery import app

    routes = {**app.conf.task_routes, "compliance.tasks.send_outbox": {"queue": "mail"}}
    assert unconsumed(routed_queues(routes)) == {"mail": "task compliance.tasks.send_outbox"}


def test_the_dev_procfile_consumes_every_routed_queue_too():
    assert unconsumed(routed_queues(), REPO / "Procfile") == {}


def test_production_runs_web_workers_and_exactly_one_beat_apart_from_the_workers():
    commands = {name: arguments(command) for name, command in read(PRODUCTION).items()}
    beats = [name for name, words in commands.items() if words[:1] and words[0].endswith("celery") and "beat" in words]
    workers = [name for name, command in read(PRODUCTION).items() if consumed_queues(command) is not None]

    assert beats == ["beat"]
    assert workers and all("--beat" not in commands[name] and "-B" not in commands[name] for name in workers)
    assert commands["web"][0].endswith("gunicorn")


def test_the_readme_production_section_shows_the_production_procfile():
    readme = (REPO / "README.md").read_text()
    block = re.search(r"<!-- Procfile\.production[^>]*-->\n```\n(.*?)```", readme, re.S)
    assert block, "README.md has no block marked <!-- Procfile.production -->"
    lines = [line for line in PRODUCTION.read_text().splitlines() if line and not line.startswith("#")]
    assert block.group(1).splitlines() == lines, "copy Procfile.production's process lines into README.md's block"


# --- the topology, started ------------------------------------------------------------------------

def _own_redis_db() -> str:
    """Another Redis database than the suite's, so the topology's beat and workers meet no one else."""
    base, _, number = BROKER.rpartition("/")
    return f"{base}/{(int(number or 0) + 8) % 16}"


class Receiver:
    """The webhook's other end: an HTTP server on a free port that keeps what is posted to it."""

    def __init__(self):
        self.posts: list[tuple[dict[str, str], bytes]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                posts.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/withdrawals"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    receiving = Receiver()
    yield receiving
    receiving.close()


@pytest.fixture
def production(transactional_db, tmp_path):
    """Procfile.production as a Procfile runner starts it: gunicorn, two workers, a separate beat."""
    from tests.compliance.real_worker import database_url

    port, broker = free_port(), _own_redis_db()
    redis.Redis.from_url(broker).flushdb()
    (tmp_path / "var" / "static").mkdir(parents=True)
    # Not the browser fixture's DJANGO_ALLOW_ASYNC_UNSAFE, meant for this process only.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**inherited, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": broker, "CACHE_URL": broker,
           "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
           "VAR_DIR": str(tmp_path / "var"), "WEB_HOST": "127.0.0.1", "WEB_CONCURRENCY": "1",
           "WORKER_CONCURRENCY": "1", "SLA_WORKER_CONCURRENCY": "1",
           "IMPORT_WORKER_CONCURRENCY": "1", "SLA_SWEEP_INTERVAL_SECONDS": "2",
           "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "production.log"
    with log.open("wb") as out:
        runner = subprocess.Popen(
            [sys.executable, "-m", "config.procfile", str(PRODUCTION), "--port", str(port),
             "--concurrency", "worker=1,sla-worker=1,beat=1"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield {"base": f"http://127.0.0.1:{port}", "log": log, "var": tmp_path / "var"}
    finally:
        runner.send_signal(signal.SIGTERM)
        try:
            runner.wait(timeout=60)
        except subprocess.TimeoutExpired:
            for pid in re.findall(r"started \(pid=(\d+)\)", log.read_text(errors="replace")):
                try:
                    os.killpg(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            runner.kill()
            runner.wait()
        redis.Redis.from_url(broker).flushdb()


def _get(url: str, **headers: str) -> tuple[int, dict[str, str]]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)
    except OSError:  # not listening yet
        return 0, {}


needs_services = pytest.mark.skipif(
    connection.vendor != "postgresql" or not BROKER.startswith("redis"),
    reason="the production topology runs on PostgreSQL and Redis (DATABASE_URL and CELERY_BROKER_URL, as in .ci/run)")


@needs_services
@pytest.mark.smoke
def test_production_enforces_a_due_deadline_sends_its_mail_and_delivers_its_webhook(production, receiver):
    from articles.models import Article
    from compliance.models import Notice, OutboundMessage, SlaDeadline, WebhookEndpoint
    from compliance.services.intake import receive_notice
    from compliance.services.webhooks import signature
    from tests.compliance.intake_helpers import submission
    from tests.compliance.real_worker import wait_until
    from tests.factories import ArticleFactory

    base, log = production["base"], production["log"]
    wait_until(lambda: _get(f"{base}/healthz")[0] == 200, seconds=120,
               what="/healthz green (web, broker, and beat's sweeps run by a worker)", log=log)

    secret = secrets.token_hex(16)
    WebhookEndpoint.objects.create(name="cms", url=receiver.url, secret=secret, events=["article.withdrawn"])
    article = ArticleFactory(primary="https://outlet.example/production-smoke.html")
    notice = receive_notice(channel="web", received_at=timezone.now() - timedelta(hours=25),
                            submission=submission("https://outlet.example/production-smoke.html")).notice
    Notice.objects.filter(pk=notice.pk).update(verification=Notice.Verification.EMAIL_CONFIRMED)

    wait_until(lambda: not SlaDeadline.objects.filter(notice=notice, state__in=SlaDeadline.OPEN_STATES).exists(),
               seconds=60, what="the due deadline enforced by the workers", log=log)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert _get(f"{base}{article.get_absolute_url()}", **{"X-Forwarded-Proto": "https"})[0] == 451
    status, headers = _get(f"{base}{article.get_absolute_url()}")
    assert status == 301 and headers["Location"].startswith("https://")

    outbox = OutboundMessage.objects.filter(notice=notice)
    wait_until(lambda: outbox.exists() and not outbox.exclude(state=OutboundMessage.State.SENT).exists(),
               seconds=60, what="the notice's mail sent from the outbox", log=log)
    sent = "".join(path.read_text(errors="replace") for path in (production["var"] / "outbox-mail").iterdir())
    assert sent.count(notice.reference) >= outbox.count()

    wait_until(lambda: receiver.posts, seconds=60, what="the withdrawal webhook delivered", log=log)
    (headers, body), = receiver.posts
    assert headers["X-Takedown-Event"] == "article.withdrawn"
    assert hmac.compare_digest(headers["X-Takedown-Signature"],
                               signature(secret, headers["X-Takedown-Timestamp"], body.decode()))
    event = json.loads(body)
    assert event["event"] == "article.withdrawn"
    assert event["data"]["article_id"] == article.pk and event["data"]["reference"] == notice.reference
