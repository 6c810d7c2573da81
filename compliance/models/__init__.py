from .audit import AuditChainHead, AuditEntry, AuditVerification
from .decisions import Decision
from .mail import InboundAttachment, InboundMessage, OutboundMessage
from .notices import IdempotencyRecord, Notice, NoticeItem, NoticeItemMatch
from .review import CounterNotice, PersonalDataAccess, SenderRestriction, SourceStanding, TrustedFlagger
from .sla import SlaBreach, SlaDeadline, SlaPolicy, SweepHeartbeat
from .webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "AuditChainHead", "AuditEntry", "AuditVerification",
    "InboundAttachment", "InboundMessage", "OutboundMessage",
    "IdempotencyRecord", "Notice", "NoticeItem", "NoticeItemMatch",
    "CounterNotice", "PersonalDataAccess", "SenderRestriction", "SourceStanding", "TrustedFlagger",
    "Decision", "SlaBreach", "SlaDeadline", "SlaPolicy", "SweepHeartbeat",
    "WebhookDelivery", "WebhookEndpoint",
]
