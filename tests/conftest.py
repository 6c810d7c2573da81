from pathlib import Path

import pytest
from django.db import connection

from tests.fixtures import CORPUS, SEED_PAGE



def pytest_configure(config: pytest.Config) -> None:
    """Settings make no folders on import; the test database and the broker need VAR_DIR's."""
    from config.var_dir import make_folders

    make_folders()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks tests by what they do, wherever they live (before -m deselects): a browser, or
    hypothesis's hundreds of examples (seconds each; `make test-fast` leaves them to `make test`)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser"):
        from tests.browser.conftest import skip_without_chromium

        skip_without_chromium()


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
    return SEED_PAGE.read_bytes()


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
