import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from articles.actors import Actor
from compliance.services.audit import verify_and_remember
from compliance.services.dkim_check import check_pending
from compliance.services.imap_poll import poll_mailbox
from compliance.services.mail_intake import process_pending
from compliance.services.outbox import send_pending
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from compliance.services.webhooks import deliver_pending

log = logging.getLogger(__name__)


@shared_task(name="compliance.tasks.verify_audit_log")
def verify_audit_log() -> bool:
    return verify_and_remember(actor=Actor.task("verify_audit_log")).ok


@shared_task(name="compliance.tasks.send_outbox")
def send_outbox() -> int:
    return send_pending(now=timezone.now())


@shared_task(name="compliance.tasks.process_inbound_mail")
def process_inbound_mail() -> int:
    return process_pending()


@shared_task(name="compliance.tasks.check_dkim")
def check_dkim() -> int:
    return check_pending(now=timezone.now())


@shared_task(name="compliance.tasks.poll_imap")
def poll_imap() -> int:
    return poll_mailbox(settings.IMAP_URL) if settings.IMAP_URL else 0


@shared_task(name="compliance.tasks.enforce_deadlines", acks_late=True)
def enforce_deadlines(deadline_ids: list[int]) -> None:
    # Each deadline in its own transaction; a failing one is recorded and swept again later.
    for deadline_id in deadline_ids:
        try:
            enforce(deadline_id=deadline_id, now=timezone.now())
        except Exception:
            log.exception("enforcing SLA deadline %s failed", deadline_id)


def enqueue_deadlines(deadline_ids: list[int]) -> None:
    enforce_deadlines.apply_async((deadline_ids,), queue="sla", retry=True,
                                  retry_policy={"max_retries": 3, "interval_start": 0.5, "interval_step": 1})


@shared_task(name="compliance.tasks.sla_sweep")
def sla_sweep() -> int:
    return len(sweep(now=timezone.now(), enqueue=enqueue_deadlines).claimed)


@shared_task(name="compliance.tasks.deliver_webhooks")
def deliver_webhooks() -> int:
    return deliver_pending(now=timezone.now())
