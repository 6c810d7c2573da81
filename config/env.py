"""Strict reading of the environment: a malformed value stops start-up, naming the variable.

A typo must never turn into a default without a word (``DJANGO_DEBUG=flase`` read as false,
``SLA_LEASE_SECONDS=2m`` as a crash that names no variable). Unset variables take the
default; a set but empty boolean or number is malformed.
"""

from __future__ import annotations

import math
import os

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


class EnvironmentInvalid(ImproperlyConfigured):
    """A variable is set to something its setting cannot be."""


def _set(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = _set(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise EnvironmentInvalid(f"{name}={value!r} is not a boolean: use true or false (or yes/no, on/off, 1/0)")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _set(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise EnvironmentInvalid(f"{name}={value!r} is not a whole number") from None
    if number < minimum:
        raise EnvironmentInvalid(f"{name}={value!r} must be at least {minimum}")
    return number


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    value = _set(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise EnvironmentInvalid(f"{name}={value!r} is not a number") from None
    if not math.isfinite(number) or number < minimum:
        raise EnvironmentInvalid(f"{name}={value!r} must be a number of at least {minimum:g}")
    return number


def env_list(name: str, default: str) -> list[str]:
    """Comma-separated; blanks around and between commas are dropped."""
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = _set(name)
    if value is None:
        return default
    if value.upper() not in choices:
        raise EnvironmentInvalid(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value.upper()


def env_request_header(name: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto: https`` as Django wants it: ("HTTP_X_FORWARDED_PROTO", "https")."""
    value = _set(name)
    if not value:
        return None
    header, separator, expected = (part.strip() for part in value.partition(":"))
    if not separator or not header or not expected or not header.replace("-", "").isalnum():
        raise EnvironmentInvalid(f"{name}={value!r} is not 'Header-Name: value' (e.g. 'X-Forwarded-Proto: https')")
    return "HTTP_" + header.upper().replace("-", "_"), expected
