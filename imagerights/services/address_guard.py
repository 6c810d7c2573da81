"""Which network addresses an outbound fetch may reach: public ones, and those the settings allow.

Checked on the addresses DNS gives (each of them) and again on every redirect; the connection is
then made to the checked address, so a second DNS answer cannot point it elsewhere.
"""

from __future__ import annotations

import ipaddress
import socket

from django.conf import settings


class FetchRefused(ValueError):
    """A download we will not make or finish; the message says why in one line."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)


def allowed(address: str) -> bool:
    return address in settings.FETCH_ALLOWED_ADDRESSES or is_public(address)


def resolve_checked(host: str, port: int) -> str:
    """One address of ``host`` to connect to, refused unless every address it resolves to is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(f"cannot resolve {host}: {exc}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [a for a in addresses if not allowed(a)]
    if refused or not addresses:
        raise FetchRefused(f"{host} resolves to a private, loopback or link-local address ({refused[0] if refused else 'none'})")
    return addresses[0]
