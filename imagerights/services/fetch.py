"""Downloading an asset over HTTP with strict limits: size, time, content type, redirects, addresses."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from imagerights.services.address_guard import FetchRefused, resolve_checked

REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class FetchedFile:
    url: str  # where the bytes came from, after redirects
    content_type: str
    data: bytes


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch_image(url: str) -> FetchedFile:
    deadline = time.monotonic() + settings.FETCH_TIMEOUT_SECONDS
    for _ in range(settings.FETCH_MAX_REDIRECTS + 1):
        status, headers, body = _get(url, deadline)
        if status in REDIRECTS:
            location = headers.get("location")
            if not location:
                raise FetchRefused(f"redirect from {url} without a Location")
            url = urljoin(url, location)
            continue
        if not 200 <= status < 300:
            raise FetchRefused(f"{url} answered HTTP {status}")
        content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
        return FetchedFile(url=url, content_type=content_type, data=body)
    raise FetchRefused(f"more than {settings.FETCH_MAX_REDIRECTS} redirects")


def _target(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"not an http(s) URL: {url[:200]}")
    if not parts.hostname or parts.username or parts.password:
        raise FetchRefused(f"no host, or credentials in the URL: {url[:200]}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchRefused(f"bad port in {url[:200]}") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def _get(url: str, deadline: float) -> tuple[int, dict[str, str], bytes]:
    scheme, host, port, path = _target(url)
    address = resolve_checked(host, port)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchRefused(f"took longer than {settings.FETCH_TIMEOUT_SECONDS} s")
    connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = connection_class(host, port, address=address, timeout=remaining)
    # The time limit holds for the whole download, not per read: a server dripping a byte a second
    # would pass every per-read timeout. At the deadline the socket is shut, which ends any read.
    watchdog = threading.Timer(remaining, _cut_off, [connection])
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("GET", path, headers={"User-Agent": settings.FETCH_USER_AGENT, "Accept": "image/*",
                                                 "Accept-Encoding": "identity"})
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        if response.status in REDIRECTS:
            return response.status, headers, b""
        if 200 <= response.status < 300:
            _check_type(headers)
            return response.status, headers, _read_limited(response, headers, deadline)
        return response.status, headers, b""
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise FetchRefused(f"took longer than {settings.FETCH_TIMEOUT_SECONDS} s") from None
        raise FetchRefused(f"{host}: {' '.join(str(exc).split()) or type(exc).__name__}") from None
    finally:
        watchdog.cancel()
        connection.close()


def _cut_off(connection: http.client.HTTPConnection) -> None:
    try:
        if connection.sock is not None:
            connection.sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _check_type(headers: dict[str, str]) -> None:
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type not in settings.FETCH_CONTENT_TYPES:
        raise FetchRefused(f"content type {content_type or 'missing'} is not an image type we accept")


def _read_limited(response: http.client.HTTPResponse, headers: dict[str, str], deadline: float) -> bytes:
    limit = settings.FETCH_MAX_BYTES
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchRefused(f"file of {declared} bytes is over the {limit}-byte limit")
    chunks, size = [], 0
    while chunk := response.read1(64 * 1024):  # what has arrived, so the deadline is checked often
        size += len(chunk)
        if size > limit:
            raise FetchRefused(f"file is over the {limit}-byte limit")
        if time.monotonic() > deadline:
            raise FetchRefused(f"took longer than {settings.FETCH_TIMEOUT_SECONDS} s")
        chunks.append(chunk)
    if time.monotonic() >= deadline:  # the watchdog cut the connection: what came is not the file
        raise FetchRefused(f"took longer than {settings.FETCH_TIMEOUT_SECONDS} s")
    if declared.isdigit() and size < int(declared):
        raise FetchRefused(f"the connection ended after {size} of {declared} bytes")
    return b"".join(chunks)
