"""Servers on loopback for the tests, on the ports this machine leaves to them."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TEST_PORTS = range(18080, 18100)


def free_port(*, taken: tuple[int, ...] = ()) -> int:
    """A port nothing listens on yet; `taken` are ones chosen but not bound yet."""
    for port in (port for port in TEST_PORTS if port not in taken):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {TEST_PORTS}")


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    """Run an HTTP server with this handler in a thread; its .requests list what it got."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
