from celery import shared_task

from compliance.services.audit import verify_and_remember


@shared_task(name="compliance.tasks.verify_audit_log")
def verify_audit_log() -> bool:
    return verify_and_remember(checked_by="task:verify_audit_log").ok
