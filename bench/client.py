"""One bench HTTP client, a process of its own: `python bench/client.py URL` (issue 12).

Reads one JSON list of [method, path, body] calls on stdin, opens one keep-alive connection
and prints "ready PORT" (its local port: the bench finds which server worker holds it), opens a
new one for each "reconnect" line, waits for "go" on stdin, sends the calls one after another
and prints their latencies (`ms`, milliseconds) and the CPU time it used sending them
(`cpu_s`), as one JSON object. Each
client is a process of its own, as clients are: four client threads in the bench's own
interpreter queued on its lock for each response (measured beside it in one server run:
neighbour list p50 21.8 ms with threads, 16.0 ms with processes).
"""

from __future__ import annotations

import http.client
import json
import sys
import time
from urllib.parse import urlsplit


def connect(base: str) -> http.client.HTTPConnection:
    """A keep-alive connection, open before timing; prints "ready" and its local port."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    conn.request("GET", "/api/v1/health/live")
    live = conn.getresponse()
    live.read()
    if live.status != 200:
        sys.exit(f"bench client: {base} answered /api/v1/health/live with {live.status}")
    assert conn.sock is not None
    print(f"ready {conn.sock.getsockname()[1]}", flush=True)
    return conn


def main() -> None:
    """Run the calls read on stdin against the server at argv[1]; print the latencies."""
    calls = json.loads(sys.stdin.readline())
    conn = connect(sys.argv[1])
    while (line := sys.stdin.readline().strip()) == "reconnect":
        new = connect(sys.argv[1])  # before the old one closes, whose worker that would wake
        conn.close()
        conn = new
    if line != "go":  # the bench ended meanwhile
        sys.exit(1)
    ms = []
    cpu = time.process_time()
    for method, path, body in calls:
        data = None if body is None else json.dumps(body).encode()
        headers = {} if data is None else {"Content-Type": "application/json"}
        t = time.perf_counter()
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        payload = r.read()
        took = (time.perf_counter() - t) * 1000
        if r.status != 200:
            sys.exit(f"bench client: {method} {path}: {r.status} {payload[:300]!r}")
        ms.append(took)
    print(json.dumps({"ms": ms, "cpu_s": time.process_time() - cpu}), flush=True)


if __name__ == "__main__":
    main()
