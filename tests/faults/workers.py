"""What the fault suite needs of its real stack: the skip when PostgreSQL or Redis is missing."""

from __future__ import annotations

import os

import pytest
from django.db import connection

BROKER = os.environ.get("CELERY_BROKER_URL", "")
needs_real_stack = pytest.mark.skipif(
    connection.vendor != "postgresql" or not BROKER.startswith("redis"),
    reason="needs PostgreSQL and a Redis broker (CI sets both)")
