"""Fetching a web page for import, safely (SSRF protection).

The host name is resolved once; every address must be public (no private, loopback, link-local,
multicast, reserved or unspecified address, IPv4 or IPv6) unless it lies in
KNOWLEDGE_URL_ALLOWED_NETWORKS. The connection then goes to that vetted address (with the original
Host header and TLS server name), so a second DNS answer cannot redirect it (DNS rebinding).
Redirects are followed by hand, each hop vetted the same way. Size, total time and content type
are limited.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

from knowledge.exceptions import UrlFetchFailed, UrlRejected

ALLOWED_CONTENT_TYPES = {"text/html", "application/xhtml+xml", "text/plain", "text/markdown"}
MAX_REDIRECTS = 3


@dataclass(frozen=True)
class FetchedPage:
    url: str
    content_type: str
    data: bytes


def resolve(host: str, port: int) -> list[str]:
    """All addresses of `host` (tests replace this to point a name at a local server)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UrlFetchFailed(f"The host {host!r} could not be resolved.") from exc
    return sorted({info[4][0] for info in infos})


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for network in settings.KNOWLEDGE_URL_ALLOWED_NETWORKS:
        if ip in ipaddress.ip_network(network, strict=False):
            return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def vet_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, vetted address) of an URL that may be fetched, or UrlRejected."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlRejected("Only http:// and https:// addresses can be imported.")
    if parts.username or parts.password:
        raise UrlRejected("Addresses with credentials cannot be imported.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UrlRejected("The address has an invalid port.") from exc
    addresses = resolve(parts.hostname, port)
    if not addresses or not all(_allowed(address) for address in addresses):
        raise UrlRejected("The address points to a private or reserved network.", host=parts.hostname)
    return parts.scheme, parts.hostname, port, addresses[0]


def fetch_page(url: str) -> FetchedPage:
    deadline = time.monotonic() + settings.KNOWLEDGE_URL_TIMEOUT_SECONDS
    limit = settings.KNOWLEDGE_URL_MAX_BYTES
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, address = vet_url(url)
        remaining = max(0.5, deadline - time.monotonic())
        timeout = urllib3.Timeout(connect=min(5.0, remaining), read=remaining)
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address, port, server_hostname=host, assert_hostname=host, timeout=timeout, retries=False
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            response = pool.urlopen(
                "GET",
                target,
                headers={
                    "Host": parts.netloc.rsplit("@", 1)[-1],
                    "User-Agent": "AgentPlatform-KB/1.0",
                    "Accept": "text/html,text/plain;q=0.9",
                },
                redirect=False,
                preload_content=False,
            )
        except urllib3.exceptions.HTTPError as exc:
            raise UrlFetchFailed(f"The page could not be fetched: {exc.__class__.__name__}.") from exc
        try:
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status != 200:
                raise UrlFetchFailed(f"The page answered HTTP {response.status}.", status_code=response.status)
            content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type not in ALLOWED_CONTENT_TYPES:
                raise UrlRejected(f"Pages of type {content_type or 'unknown'} cannot be imported.")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise UrlRejected(f"The page is larger than {limit} bytes.")
            body = bytearray()
            for piece in response.stream(64 * 1024):
                body.extend(piece)
                if len(body) > limit:
                    raise UrlRejected(f"The page is larger than {limit} bytes.")
                if time.monotonic() > deadline:
                    raise UrlFetchFailed("The page took too long to download.")
            return FetchedPage(url=url, content_type=content_type, data=bytes(body))
        except urllib3.exceptions.HTTPError as exc:
            raise UrlFetchFailed(f"The page could not be fetched: {exc.__class__.__name__}.") from exc
        finally:
            response.release_conn()
            pool.close()
    raise UrlFetchFailed("Too many redirects.")
