"""`msme-qa mcp --http`: Streamable HTTP for the MCP server, each session kept apart from the others.

- Who may talk to it (:class:`Guard`, in front of everything): a bearer token when one is set (the scheme in
  any case, the token compared in constant time; 401), Host and Origin headers that name the address served,
  a loopback name or a name given with ``--allow-host`` / ``MSME_QA_MCP_HOSTS`` (421 and 403: a web page
  cannot reach the server through DNS rebinding), an Accept header the transport can answer (406) and a
  JSON body (415).
- Resumable streams, per session (:class:`EventLog`): a client whose SSE stream broke may resume it with
  ``Last-Event-ID``, and it is replayed that session's events only. Event ids are random, events are kept
  per session and bounded in count and in bytes, and a session's events go when the session goes.
- The address is bound before the index opens, so an address in use stops the command at once (exit 2).

This module imports the SDK, starlette and uvicorn; only `msme-qa mcp --http` imports it.
"""

from __future__ import annotations

import errno
import hmac
import os
import re
import secrets
import signal
import socket
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Generator, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mcp.server.streamable_http import EventMessage, EventStore, check_accept_headers
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from mcp_types.jsonrpc import jsonrpc_message_adapter

from qa.errors import UsageError

if TYPE_CHECKING:
    from mcp.server.lowlevel import Server
    from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
HOSTS_VARIABLE = "MSME_QA_MCP_HOSTS"
TOKEN_VARIABLE = "MSME_QA_MCP_TOKEN"

# What the server keeps for resumable streams: enough for a client to resume a broken stream, never more
# than a few tens of MB whatever clients send (every message is kept as the JSON text it was sent as).
KEEP_EVENTS = 1000  # all sessions together
KEEP_BYTES = 16 * 1024 * 1024
SESSION_EVENTS = 100  # one session
SESSION_BYTES = 2 * 1024 * 1024


# The address and who may use it ---------------------------------------------------------------------------


def parse_address(value: str) -> tuple[str, int]:
    """``[HOST:]PORT`` (an IPv6 host in brackets) as (host, port); UsageError in one line otherwise."""
    text = value.strip()
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--http takes [HOST:]PORT, e.g. 8765 or 127.0.0.1:8765, not {value!r}")
    return host, int(port)


def shown(host: str, port: int) -> str:
    """The address as a URL writes it (an IPv6 host in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def token_from_environment(host: str) -> str | None:
    """MSME_QA_MCP_TOKEN; required when the server listens on anything but loopback."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip() or None
    if token is None and host not in LOOPBACK:
        raise UsageError(
            f"serving MCP on {host} needs a bearer token: set {TOKEN_VARIABLE} "
            "(clients then send 'Authorization: Bearer <token>'), or serve on 127.0.0.1"
        )
    return token


_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?")
_IPV6 = re.compile(r"\[?([0-9a-f:.]*:[0-9a-f:.]*)\]?")


def host_name(value: str, source: str) -> str:
    """One allowed host name as Host headers carry it (lower case; an IPv6 address in brackets)."""
    name = value.strip().lower()
    if m := _IPV6.fullmatch(name):
        return f"[{m.group(1)}]"
    if _NAME.fullmatch(name) and len(name) <= 253:
        return name.rstrip(".")
    raise UsageError(
        f"{source} takes a host name or address without a port, such as mcp.example.org or 192.0.2.10, "
        f"not {value[:80]!r}"
    )


def allowed_hosts(host: str, given: Iterable[str]) -> tuple[str, ...]:
    """The Host and Origin names the server accepts: loopback names, the address served, and those named.

    ``given`` are the ``--allow-host`` values; MSME_QA_MCP_HOSTS (comma-separated) adds to them.
    """
    names = [*LOOPBACK_NAMES]
    if host not in LOOPBACK:
        names.append(f"[{host}]" if ":" in host else host.lower())
    names += [host_name(value, "--allow-host") for value in given]
    names += [host_name(v, HOSTS_VARIABLE) for v in os.environ.get(HOSTS_VARIABLE, "").split(",") if v.strip()]
    return tuple(dict.fromkeys(names))


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to the address; UsageError in one line naming it when it cannot be bound."""
    where = shown(host, port)
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise UsageError(f"cannot listen on {where}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        hint = "; stop the program using it or choose another port" if exc.errno == errno.EADDRINUSE else ""
        raise UsageError(f"cannot listen on {where}: {exc.strerror or exc}{hint}") from None
    return sock


# The guard in front of the transport ----------------------------------------------------------------------


def _split_host(value: str) -> str:
    """The name of a ``Host`` header or of an Origin's authority, without its port, in lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: the token, then Host and Origin, then Accept and Content-Type, before the transport."""

    def __init__(self, app: ASGIApp, names: Iterable[str], token: str | None) -> None:
        self.app = app
        self.names = frozenset(names)
        self.token = token.encode() if token else None

    def authorized(self, header: bytes) -> bool:
        """``Authorization: Bearer <token>``, the scheme in any case (RFC 9110), the token in constant time."""
        assert self.token is not None
        scheme, _, given = header.strip().partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)

    def origin_allowed(self, origin: str) -> bool:
        scheme, sep, rest = origin.partition("://")
        return bool(sep) and scheme.lower() in ("http", "https") and _split_host(rest.split("/")[0]) in self.names

    def refusal(self, scope: Scope) -> tuple[int, str, dict[str, str]] | None:
        """(status, message, headers) when the request is refused; None when it may go on."""
        from starlette.requests import Request

        request = Request(scope)
        headers = request.headers
        if self.token is not None and not self.authorized(headers.get("authorization", "").encode("latin-1")):
            return 401, "missing or wrong bearer token", {"WWW-Authenticate": 'Bearer realm="msme-qa"'}
        if _split_host(headers.get("host", "")) not in self.names:
            return 421, "Misdirected Request: this server does not answer to that Host", {}
        origin = headers.get("origin")
        if origin is not None and not self.origin_allowed(origin):
            return 403, "Forbidden: requests from that Origin are refused", {}
        has_json, has_sse = check_accept_headers(request)
        if request.method == "POST":
            if not (has_json and has_sse):
                return 406, "Not Acceptable: Accept must include application/json and text/event-stream", {}
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media != "application/json":
                return 415, "Unsupported Media Type: Content-Type must be application/json", {}
        elif request.method == "GET" and not has_sse:
            return 406, "Not Acceptable: Accept must include text/event-stream", {}
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (refused := self.refusal(scope)) is not None:
            from starlette.responses import JSONResponse

            status, message, headers = refused
            code = -32001 if status == 401 else -32600
            body = {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}
            await JSONResponse(body, status_code=status, headers=headers)(scope, receive, send)
            return
        await self.app(scope, receive, send)


# Resumable streams, per session ---------------------------------------------------------------------------


@dataclass
class Event:
    session: str
    id: str
    stream: Any
    data: bytes | None  # the message as JSON text; None for a priming event
    live: bool = True

    @property
    def size(self) -> int:
        return len(self.data or b"") + 200  # the record itself, roughly


class EventLog:
    """The recent events of every session, kept apart: each session replays its own events and no other's.

    Event ids are random (128 bits), so no session can name another's. The oldest events go first when a
    session holds more than ``session_events`` or ``session_bytes``, or all sessions together more than
    ``max_events`` or ``max_bytes``; a session's events go when it ends. A message larger than a session's
    whole allowance is not kept, and neither is anything before it on its stream: a stream that broke
    before it cannot be resumed (the client asks again), rather than be resumed with a gap.
    """

    def __init__(
        self,
        max_events: int = KEEP_EVENTS,
        max_bytes: int = KEEP_BYTES,
        session_events: int = SESSION_EVENTS,
        session_bytes: int = SESSION_BYTES,
    ) -> None:
        self.limits = (max_events, max_bytes, session_events, session_bytes)
        self.order: deque[Event] = deque()  # every kept event, oldest first (some already dropped: not live)
        self.sessions: dict[str, deque[Event]] = {}
        self.by_id: dict[str, dict[str, Event]] = {}
        self.session_bytes: dict[str, int] = {}
        self.count = 0
        self.bytes = 0

    def for_session(self, session: str) -> SessionEvents:
        return SessionEvents(self, session)

    def _drop(self, event: Event) -> None:
        if not event.live:
            return
        event.live = False
        self.count -= 1
        self.bytes -= event.size
        self.session_bytes[event.session] -= event.size
        self.by_id[event.session].pop(event.id, None)

    def store(self, session: str, stream: Any, data: bytes | None) -> str:
        max_events, max_bytes, session_events, session_bytes = self.limits
        event = Event(session, secrets.token_urlsafe(16), stream, data)
        kept = self.sessions.setdefault(session, deque())
        ids = self.by_id.setdefault(session, {})
        self.session_bytes.setdefault(session, 0)
        if event.size > session_bytes:
            for earlier in kept:
                if earlier.stream == stream:
                    self._drop(earlier)
            return event.id  # named, never kept
        kept.append(event)
        self.order.append(event)
        ids[event.id] = event
        self.count += 1
        self.bytes += event.size
        self.session_bytes[session] += event.size
        while kept and (len(ids) > session_events or self.session_bytes[session] > session_bytes):
            self._drop(kept.popleft())
        while self.order and (self.count > max_events or self.bytes > max_bytes):
            oldest = self.order.popleft()
            if oldest.live:
                self._drop(oldest)
        self._compact(kept)
        return event.id

    def _compact(self, kept: deque[Event]) -> None:
        """Drop the records of events already dropped, so that the deques stay as small as what they hold."""
        while kept and not kept[0].live:
            kept.popleft()
        while self.order and not self.order[0].live:
            self.order.popleft()
        if len(self.order) > 2 * self.limits[0]:
            self.order = deque(e for e in self.order if e.live)
        if len(kept) > 2 * self.limits[2]:
            kept_live = [e for e in kept if e.live]
            kept.clear()
            kept.extend(kept_live)

    def after(self, session: str, last_event_id: str) -> tuple[Any, list[Event]] | None:
        """The stream of ``last_event_id`` and its later events, if that event is one of this session's."""
        event = self.by_id.get(session, {}).get(last_event_id)
        if event is None:
            return None
        kept = list(self.sessions.get(session, ()))
        later = kept[kept.index(event) + 1 :]
        return event.stream, [e for e in later if e.live and e.stream == event.stream and e.data is not None]

    def forget(self, session: str) -> None:
        for event in self.sessions.pop(session, ()):
            self._drop(event)
        self.by_id.pop(session, None)
        self.session_bytes.pop(session, None)
        self._compact(deque())


class SessionEvents(EventStore):
    """One session's view of the log: what its transport stores, and the only events it can replay."""

    def __init__(self, log: EventLog, session: str) -> None:
        self.log = log
        self.session = session

    async def store_event(self, stream_id: Any, message: Any) -> Any:
        data = None if message is None else message.model_dump_json(by_alias=True, exclude_unset=True).encode()
        return self.log.store(self.session, stream_id, data)

    async def replay_events_after(
        self, last_event_id: Any, send_callback: Callable[[EventMessage], Awaitable[None]]
    ) -> Any:
        found = self.log.after(self.session, str(last_event_id))
        if found is None:
            return None
        stream, events = found
        for event in events:
            assert event.data is not None
            await send_callback(EventMessage(jsonrpc_message_adapter.validate_json(event.data), event.id))
        return stream


class Sessions(StreamableHTTPSessionManager):
    """The SDK's session manager, giving each session its own view of the event log, dropped with it."""

    def __init__(self, app: Server[Any], log: EventLog, **options: Any) -> None:
        super().__init__(app, event_store=None, **options)
        self.log = log

    def _admit_session(self, requestor: Any) -> Any:
        transport = super()._admit_session(requestor)
        if transport is not None and transport.mcp_session_id is not None:
            transport._event_store = self.log.for_session(transport.mcp_session_id)
        return transport

    async def _discard_session(self, session_id: str, transport: Any) -> None:
        self.log.forget(session_id)
        await super()._discard_session(session_id, transport)


def http_app(server: Server[Any], names: Iterable[str], token: str | None, log: EventLog | None = None) -> ASGIApp:
    """The ASGI app: the guard, then the SDK's Streamable HTTP transport at /mcp, one event log per server."""
    from starlette.applications import Starlette
    from starlette.routing import Route

    # The guard checks Host and Origin (case-insensitively, against the allowed names); the SDK's own check
    # would refuse a name given in another case, so it is off here.
    security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    sessions = Sessions(server, log or EventLog(), security_settings=security, retry_interval=1000)
    app = Starlette(
        routes=[Route("/mcp", endpoint=StreamableHTTPASGIApp(sessions))], lifespan=lambda _app: sessions.run()
    )
    return Guard(app, names, token)


# Serving --------------------------------------------------------------------------------------------------


def run(app: ASGIApp, sock: socket.socket) -> None:
    """Serve on the bound socket until SIGTERM (a graceful stop). SIGINT is left to the caller's handler."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextmanager
        def capture_signals(self) -> Generator[None, None, None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            previous = signal.signal(signal.SIGTERM, self.handle_exit)
            try:
                yield
            finally:
                signal.signal(signal.SIGTERM, previous)

    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    Server(config).run(sockets=[sock])
