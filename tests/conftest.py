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
    verified_login(client, user)
    return client


def postgres_only(reason: str):
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=f"needs PostgreSQL: {reason}")


def verified_login(client, user) -> None:
    """Log a staff user in as the admin's two-factor login leaves them: password and a confirmed device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="tests", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
