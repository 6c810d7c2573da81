"""Settings as a deployment meets them: malformed variables refused by name, `check --deploy` clean
with debug off, and nothing made on disk by importing them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import EnvironmentInvalid, env_bool, env_float, env_int, env_request_header

REPO = Path(__file__).resolve().parents[1]


def _manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    # The browser tests' fixture allows async-unsafe calls in this process only; a deployment never does.
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **variables}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)


def _production(**variables: str) -> dict[str, str]:
    return {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **variables}


@pytest.mark.parametrize(("value", "expected"), [
    ("true", True), ("False", False), (" yes ", True), ("off", False), ("1", True), ("0", False)])
def test_booleans_read_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    assert env_bool("DJANGO_DEBUG", not expected) is expected


@pytest.mark.parametrize("value", ["flase", "", "tru", "2"])
def test_a_malformed_boolean_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    with pytest.raises(EnvironmentInvalid, match=r"^DJANGO_DEBUG=.* is not a boolean"):
        env_bool("DJANGO_DEBUG", True)


@pytest.mark.parametrize(("value", "problem"), [("2m", "is not a whole number"), ("", "is not a whole number"),
                                                ("-5", "must be at least 1")])
def test_a_malformed_number_is_refused_by_name(monkeypatch, value, problem):
    monkeypatch.setenv("SLA_LEASE_SECONDS", value)
    with pytest.raises(EnvironmentInvalid, match=rf"^SLA_LEASE_SECONDS=.* {problem}"):
        env_int("SLA_LEASE_SECONDS", 120, minimum=1)


def test_unset_variables_take_their_defaults(monkeypatch):
    monkeypatch.delenv("FETCH_TIMEOUT_SECONDS", raising=False)
    monkeypatch.delenv("SLA_LEASE_SECONDS", raising=False)
    assert env_float("FETCH_TIMEOUT_SECONDS", 10.0) == 10.0
    assert env_int("SLA_LEASE_SECONDS", 120) == 120


@pytest.mark.parametrize("value", ["nan", "inf", "ten"])
def test_a_number_that_is_not_finite_is_refused(monkeypatch, value):
    monkeypatch.setenv("FETCH_TIMEOUT_SECONDS", value)
    with pytest.raises(EnvironmentInvalid, match="^FETCH_TIMEOUT_SECONDS="):
        env_float("FETCH_TIMEOUT_SECONDS", 10.0)


def test_the_proxy_header_is_named_as_the_proxy_sends_it(monkeypatch):
    monkeypatch.setenv("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https")
    assert env_request_header("DJANGO_SECURE_PROXY_SSL_HEADER") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("DJANGO_SECURE_PROXY_SSL_HEADER", "https")
    with pytest.raises(EnvironmentInvalid, match="^DJANGO_SECURE_PROXY_SSL_HEADER="):
        env_request_header("DJANGO_SECURE_PROXY_SSL_HEADER")


def test_settings_read_every_variable_through_the_strict_parser():
    source = (REPO / "config" / "settings.py").read_text()
    assert "os.environ" not in source and "os.getenv" not in source


@pytest.mark.slow  # a Django process of its own, seconds each
def test_a_typo_stops_manage_py_with_one_line_naming_the_variable():
    done = _manage("check", DJANGO_DEBUG="flase")

    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "manage.py: DJANGO_DEBUG='flase' is not a boolean: use true or false (or yes/no, on/off, 1/0)"]


@pytest.mark.slow  # a Django process of its own, seconds each
def test_check_deploy_is_clean_with_debug_off():
    done = _manage("check", "--deploy", "--fail-level", "WARNING", **_production())
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


@pytest.mark.slow  # a Django process of its own, seconds each
def test_behind_a_tls_proxy_https_is_read_from_its_header_and_still_deploy_clean():
    done = _manage("check", "--deploy", "--fail-level", "WARNING",
                   **_production(DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https"))
    assert done.returncode == 0, done.stderr + done.stdout


@pytest.mark.slow  # a Django process of its own, seconds each
def test_a_proxy_that_redirects_itself_lets_the_redirect_be_turned_off():
    show = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    proxy_does_it = _production(DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_HSTS_SECONDS="0")
    done = _manage("shell", "-v", "0", "-c", show, **proxy_does_it)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "0"]


@pytest.mark.slow  # a Django process of its own, seconds each
def test_importing_settings_makes_no_folder_and_the_command_makes_them(tmp_path):
    var = tmp_path / "var"
    env = {**os.environ, "VAR_DIR": str(var), "CELERY_BROKER_URL": "filesystem://"}
    env.pop("DATABASE_URL", None)
    setup = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES)"
    subprocess.run([sys.executable, "-c", setup], cwd=REPO, check=True, capture_output=True, timeout=60,
                   env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
    assert not var.exists()

    subprocess.run([sys.executable, "-m", "config.var_dir"], cwd=REPO, env=env, check=True, timeout=60)
    assert {p.relative_to(var).as_posix() for p in var.rglob("*")} == {
        "static", "broker", "broker/out", "broker/processed", "broker/control"}
