"""The client address of a request, behind the trusted reverse proxies.

``client_ip(request)`` is THE client address of a request, used by login protection
(django-axes, ``AXES_CLIENT_IP_CALLABLE``), the API rate limit, the import audit and the logs.
``TRUSTED_PROXIES`` (env, comma-separated addresses or CIDR networks) names the reverse proxies
in front of the web service. ``X-Forwarded-For`` is read only when the peer that connected
(``REMOTE_ADDR``) is one of them, and then from the right: each hop a trusted proxy added is
skipped, and the first address that is not a trusted proxy is the client. A header sent by
anyone else — a client talking to gunicorn directly, or the left-hand part a client wrote itself
before the proxy appended the real address — changes nothing.
"""

import ipaddress
from contextvars import ContextVar
from functools import cache

from django.conf import settings

#: Where ``client_ip`` leaves the address in the WSGI environ, for gunicorn's access log
#: (``%({tracker.client_ip}e)s`` in config/gunicorn.py).
ENVIRON_KEY = "tracker.client_ip"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def trusted_networks() -> tuple:
    return _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def parse_address(text: str | None) -> Address | None:
    """An address as found in REMOTE_ADDR or one X-Forwarded-For hop, else None.

    Accepts ``1.2.3.4``, ``1.2.3.4:5678``, ``::1``, ``[::1]:5678``; an IPv4-mapped IPv6
    address becomes its IPv4 address."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address, networks) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request) -> str:
    """The client address of ``request`` (see the module docstring); cached on the request."""
    cached = getattr(request, "_client_ip", None)
    if cached is not None:
        return cached
    meta = request.META
    peer = parse_address(meta.get("REMOTE_ADDR"))
    networks = trusted_networks()
    if peer is None:
        result = meta.get("REMOTE_ADDR") or ""
    elif not networks or not _is_trusted(peer, networks):
        result = str(peer)
    else:
        nearest = peer
        hops = [h for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):
            address = parse_address(hop)
            if address is None:
                break  # garbage a trusted proxy passed on: stop at the last address we trust
            nearest = address
            if not _is_trusted(address, networks):
                break
        result = str(nearest)
    request._client_ip = result
    meta[ENVIRON_KEY] = result
    CURRENT_CLIENT_IP.set(result)
    return result


# The address of the request being served in this thread/task, for log records.
CURRENT_CLIENT_IP: ContextVar[str] = ContextVar("client_ip", default="")
