from .audit import AuditChainHead, AuditEntry, AuditVerification
from .decisions import Decision
from .mail import InboundAttachment, InboundMessage, OutboundMessage
from .notices import IdempotencyRecord, Notice, NoticeItem, NoticeItemMatch
from .counter_notices import CounterNotice
from .sla import SlaBreach, SlaDeadline, SlaPolicy, SweepHeartbeat
from .webhooks import WebhookDelivery, WebhookEndpoint
from .standing import SenderRestriction, SourceStanding, TrustedFlagger
from .personal_data import PersonalDataAccess

__all__ = [
    "AuditChainHead", "AuditEntry", "AuditVerification",
    "InboundAttachment", "InboundMessage", "OutboundMessage",
    "IdempotencyRecord", "Notice", "NoticeItem", "NoticeItemMatch",
    "CounterNotice", "PersonalDataAccess", "SenderRestriction", "SourceStanding", "TrustedFlagger",
    "Decision", "SlaBreach", "SlaDeadline", "SlaPolicy", "SweepHeartbeat",
    "WebhookDelivery", "WebhookEndpoint",
]
