from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the shared cache; each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def corpus() -> Path:
    return CORPUS


@pytest.fixture
def seed_page_bytes() -> bytes:
    return (CORPUS / "kharkiv-seed-article.html").read_bytes()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="pw-for-tests-only", is_staff=True)
    client.force_login(user)
    return client


def postgres_only(reason: str):
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=f"needs PostgreSQL: {reason}")
