"""The staff side: the review queue and the records behind it. Every change goes through a service."""

from compliance.admin import counter_notices, notices, records, standing  # noqa: F401  (registers the ModelAdmins)
from compliance.staydown import admin as staydown_admin  # noqa: F401  (the stay-down queue, beside its gate)
