#!/usr/bin/env python3
"""Hardening figures against the real server (SQLite, demo content): what an anonymous visitor
can cost it. Prints one table; fails only when a bound is broken, never on a timing.

  - a flood of failed sign-ins with 3 MB user names: memory and log growth, session rows
  - the owner's own sign-in while an attacker from another address keeps failing
  - how long a half-sent request and an idle kept-alive connection stay open
  - the largest diff output: 400,000 headings with one character changed (JSON and page)
  - the worst Markdown body the renderer accepts: the time to serve its page

Usage: figures.py BINARY        (standard library only)
"""
import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

BIN = sys.argv[1]
PASSWORD = "riktig-passord-123"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("BOUND BROKEN: " + what, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


data = tempfile.mkdtemp(prefix="hardening-")
env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
env["NORMEN_PASSWORD"] = PASSWORD
subprocess.run([BIN, "migrate", "--data-dir", data], check=True, capture_output=True, env=env)
# The figures measure publishing and reading, not the second pair of eyes.
subprocess.run([BIN, "approval", "--required-for", "none", "--data-dir", data], check=True, capture_output=True, env=env)
token = subprocess.run([BIN, "user", "add", "Eva", "--role", "editor", "--data-dir", data], check=True,
                       capture_output=True, text=True, env=env).stdout.strip()
port = free_port()
log_path = os.path.join(data, "server.log")
log = open(log_path, "w")
server = subprocess.Popen([BIN, "serve", "--addr", "127.0.0.1:%d" % port, "--data-dir", data],
                          stdout=log, stderr=subprocess.STDOUT, env=env)


def conn(timeout=60, source=None):
    # Any 127.x address is loopback: a second source address is a second visitor.
    return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                      source_address=(source, 0) if source else None)


def request(method, path, body=None, headers=None, timeout=120, source=None):
    c = conn(timeout, source)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    out = (r.status, dict(r.getheaders()), r.read())
    c.close()
    return out


def api(method, path, body=None, extra=None):
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    headers.update(extra or {})
    status, h, raw = request(method, path, json.dumps(body).encode() if body is not None else None, headers)
    return status, h, raw


def rss_kb():
    with open("/proc/%d/status" % server.pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def session_rows():
    db = sqlite3.connect(os.path.join(data, "registry.db"))
    try:
        return db.execute("SELECT count(*) FROM web_session").fetchone()[0]
    finally:
        db.close()


for _ in range(600):
    try:
        request("GET", "/api/v1/documents?limit=1", timeout=5)
        break
    except OSError:
        time.sleep(0.1)
rows = []


def sign_in(name, password, source=None):
    """One sign-in through the real form: GET it (cookies, CSRF token), POST it. Returns the status."""
    status, h, page = request("GET", "/redaksjon/logg-inn", source=source)
    cookies = "; ".join(v.split(";")[0] for k, v in h.items() if k.lower() == "set-cookie")
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.decode()))
    fields.update({"navn": name, "passord": password})
    body = urllib.parse.urlencode(fields).encode()
    post_headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies}
    status, _, _ = request("POST", "/redaksjon/logg-inn", body, post_headers, source=source)
    return status


# 1. A flood of failed sign-ins with 3 MB names.
rss0, log0, sessions0 = rss_kb(), os.path.getsize(log_path), session_rows()
huge = "x" * (3 * 1024 * 1024)
statuses = {}
started = time.time()
for i in range(200):
    s = sign_in(huge + str(i), "feil")
    statuses[s] = statuses.get(s, 0) + 1
flood_s = time.time() - started
rss1, log1, sessions1 = rss_kb(), os.path.getsize(log_path), session_rows()
rows.append(("200 sign-ins with 3 MB names: memory", "%d -> %d MB" % (rss0 // 1024, rss1 // 1024)))
rows.append(("  log growth", "%d bytes" % (log1 - log0)))
rows.append(("  answers", ", ".join("%d x %d" % (n, s) for s, n in sorted(statuses.items()))))
rows.append(("  session rows stored", "%d" % (sessions1 - sessions0)))
rows.append(("  wall time", "%.1f s" % flood_s))
check(rss1 - rss0 < 200 * 1024, "memory grew by more than 200 MB under the sign-in flood")
check(log1 - log0 < 1024 * 1024, "the sign-in flood wrote more than 1 MB of log")

# 2. The owner signs in with the right password while someone elsewhere keeps failing on that name.
attacker = {}
for _ in range(30):
    s = sign_in("Eva", "feil", source="127.0.0.2")
    attacker[s] = attacker.get(s, 0) + 1
owner = sign_in("Eva", PASSWORD)
rows.append(("30 failures on the name from another address", ", ".join("%d x %d" % (n, s) for s, n in sorted(attacker.items()))))
rows.append(("  then the owner's sign-in", "HTTP %d" % owner))
check(owner == 303, "the owner was refused after an attacker's failures")

# 3. Half-sent and idle connections.
def open_for(payload):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(payload)
    s.settimeout(120)
    t = time.time()
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass
    s.close()
    return time.time() - t


half = open_for(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
idle = open_for(b"GET /api/v1/documents?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n")
rows.append(("half-sent request stays open", "%.1f s" % half))
rows.append(("idle kept-alive connection stays open", "%.1f s" % idle))
check(half < 60, "a half-sent request stayed open a minute")

# 4. The largest diff: 400,000 headings, one character changed.
body = "# a\n" * 400000
status, h, raw = api("POST", "/api/v1/documents", {"kind": "guide", "language": "nb", "title": "Stor", "body": body})
doc = json.loads(raw)
if status == 201:
    status, h, raw = api("POST", "/api/v1/documents/%d/publish" % doc["id"],
                         {"change_kind": "substantive", "change_note": "Første"}, {"If-Match": doc["etag"]})
    view = json.loads(raw)
    changed = body[:800000] + "# b\n" + body[800004:]
    status, h, raw = api("POST", "/api/v1/documents/%d/drafts" % doc["id"], {"body": changed}, {"If-Match": view["etag"]})
    view = json.loads(raw)
    status, h, raw = api("POST", "/api/v1/documents/%d/publish" % doc["id"],
                         {"change_kind": "substantive", "change_note": "Andre"}, {"If-Match": view["etag"]})
    view = json.loads(raw)
    t = time.time()
    status, h, raw = request("GET", "/api/v1/documents/%d/diff?from=1.0&to=2.0" % doc["id"])
    diff_s = time.time() - t
    diff = json.loads(raw)
    t = time.time()
    status2, _, page = request("GET", "%s/sammenlign?fra=1.0&til=2.0" % view["url"])
    page_s = time.time() - t
    rows.append(("diff of 400,000 headings (1.6 MB), JSON", "%d bytes in %.2f s, degraded=%s"
                 % (len(raw), diff_s, diff.get("degraded"))))
    rows.append(("  compare page", "%d bytes in %.2f s (HTTP %d)" % (len(page), page_s, status2)))
    check(len(raw) < 2 * 1024 * 1024, "the diff JSON is over 2 MB")
    check(len(page) < 4 * 1024 * 1024, "the compare page is over 4 MB")
else:
    rows.append(("diff of 400,000 headings", "body refused: HTTP %d %s" % (status, raw[:200])))

# 5. Deep nesting: refused, and the worst accepted body renders fast.
def nested_accepted(prefix):
    """The deepest nesting of `prefix` the API accepts (binary search), and its answer time."""
    lo, hi = 1, 20000
    while lo < hi:
        mid = (lo + hi + 1) // 2
        b = prefix * mid + "x\n"
        st, _, _ = api("POST", "/api/v1/documents", {"kind": "guide", "language": "nb", "title": "Dyp %d" % mid, "body": b})
        if st == 201:
            lo = mid
        else:
            hi = mid - 1
    return lo


for name, prefix in (("block quotes", "> "), ("list items", "- ")):
    deepest = nested_accepted(prefix)
    st, _, raw = api("POST", "/api/v1/documents", {"kind": "guide", "language": "nb", "title": "Verst %s" % name,
                                                    "body": (prefix * deepest + "x\n") * max(1, 60000 // (deepest * 2 + 2))})
    if st != 201:
        rows.append(("nesting of %s" % name, "deepest accepted %d; a page of them refused: %d" % (deepest, st)))
        continue
    d = json.loads(raw)
    st, _, raw = api("POST", "/api/v1/documents/%d/publish" % d["id"], {"change_kind": "substantive", "change_note": "x"},
                     {"If-Match": d["etag"]})
    url = json.loads(raw)["url"]
    times = []
    for _ in range(5):
        t = time.time()
        request("GET", url)
        times.append(time.time() - t)
    rows.append(("nesting of %s: deepest accepted" % name, "%d levels; 60 KB page of them served in %.1f ms (best of 5), %.1f ms first"
                 % (deepest, min(times) * 1000, times[0] * 1000)))
    check(deepest < 1000, "%s nested %d deep are accepted" % (name, deepest))

server.terminate()
server.wait(timeout=30)
width = max(len(r[0]) for r in rows)
print("\n".join("%-*s  %s" % (width, a, b) for a, b in rows))
if failures:
    sys.exit("bounds broken: " + "; ".join(failures))
