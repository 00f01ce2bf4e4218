#!/usr/bin/env python
"""
The mean time of a request through the Django test client, in-process (no
server, no network), with the settings of DJANGO_SETTINGS_MODULE:

    DJANGO_SETTINGS_MODULE=bench.yardstick.settings python bench/client_timing.py /page/ 200

prints {"path": ..., "mean_ms": ..., "cpu_ms": ..., "queries": ..., "warm_queries": ...,
"bytes": ...} as JSON: queries of the first request (nothing kept yet) and of
the second (what is rendered once is kept). The CPU time is this process's, SQLite's work included: on a
shared machine it moves less than the wall time.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# The project root instead of this folder, whose http.py would shadow the
# standard library's http package.
sys.path[0] = str(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Timing:
    path: str
    mean_ms: float
    cpu_ms: float
    queries: int
    warm_queries: int
    bytes: int


def mean_request_time(path: str, *, requests: int):
    """Time `requests` requests after two, which count the queries cold and warm."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        # getvalue(): a streamed response does its work as it is read.
        body = response.getvalue()
    assert response.status_code == 200, (path, response.status_code)
    # Read now: every request_started signal clears the connection's query log.
    query_count = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(path).getvalue()
    warm_query_count = len(queries)
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(requests):
        client.get(path).getvalue()
    mean = (time.perf_counter() - started) / requests
    cpu = (time.process_time() - cpu_started) / requests
    return Timing(
        path,
        round(mean * 1000, 3),
        round(cpu * 1000, 3),
        query_count,
        warm_query_count,
        len(body),
    )


if __name__ == "__main__":
    print(json.dumps(asdict(mean_request_time(sys.argv[1], requests=int(sys.argv[2])))))
