from .audit import AuditChainHead, AuditEntry, AuditVerification

__all__ = ["AuditChainHead", "AuditEntry", "AuditVerification"]
