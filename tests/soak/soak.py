#!/usr/bin/env python3
"""Soak test: the real server (SQLite, demo content plus the real corpus) under load from wrk, a
second process, mixing searches, page views, compares and API reads, while a writer publishes a
trickle of new versions. Passes when no request failed, every acknowledged write is there
afterwards, and the server's memory stayed steady. Prints requests, p50/p99 and memory.

Usage: soak.py BINARY CORPUS.jsonl.gz [SECONDS]     (needs wrk; standard library only)
"""
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import urllib.error

BIN, CORPUS = sys.argv[1], sys.argv[2]
SECONDS = int(sys.argv[3]) if len(sys.argv) > 3 else 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


data = tempfile.mkdtemp(prefix="soak-")
env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
subprocess.run([BIN, "import", CORPUS, "--data-dir", data], check=True, capture_output=True, env=env)
# The soak measures publishing and reading, not the second pair of eyes.
subprocess.run([BIN, "approval", "--required-for", "none", "--data-dir", data], check=True, capture_output=True, env=env)
token = subprocess.run([BIN, "user", "add", "Soak Editor", "--role", "editor", "--data-dir", data], check=True,
                       capture_output=True, text=True, env=env).stdout.strip()
port = free_port()
base = "http://127.0.0.1:%d" % port
log = open(os.path.join(data, "server.log"), "w")
# --no-demo is not given: the demo catalogue is loaded only into an empty registry, so here the
# corpus is the content; the fact sheets are created below.
server = subprocess.Popen([BIN, "serve", "--addr", "127.0.0.1:%d" % port, "--data-dir", data], stdout=log,
                          stderr=subprocess.STDOUT, env=env)


def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


for _ in range(300):
    try:
        call("GET", "/api/v1/documents?limit=1")
        break
    except Exception:
        time.sleep(0.1)

# What to ask for: documents with long histories, their pages and compares, and searches.
docs = []
offset = 0
while True:
    status, page = call("GET", "/api/v1/documents?limit=500&offset=%d" % offset)
    docs += page["items"]
    offset += len(page["items"])
    if not page["items"] or offset >= page["total"]:
        break
long = [d for d in docs if d["current_version"] and int(d["current_version"]["label"].split(".")[0]) >= 3][:30]
words = ["tilgang", "logging", "maskinporten", "sikkerhet", "virksomhet", "token", "samtykke", "utgått",
         "integrasjon", "\"digital postkasse\"", "autentisering", "idporten", "krr", "sertifikat", "api*", "tilgangsstyring"]
paths = ["/", "/faktaark", "/veiledere", "/utgatt", "/endringer"]
for d in long:
    major = int(d["current_version"]["label"].split(".")[0])
    paths += [d["url"], "%s/versjon/1.0" % d["url"], "%s/sammenlign?fra=%d.0&til=%d.0" % (d["url"], major - 1, major),
              "/api/v1/documents/%d" % d["id"], "/api/v1/documents/%d/diff?from=1.0&to=%d.0" % (d["id"], major)]
for w in words:
    q = urllib.parse.quote(w)
    paths += ["/sok?q=" + q, "/api/v1/search?q=" + q, "/api/v1/search?include_withdrawn=true&q=" + q]
lua = os.path.join(data, "paths.lua")
with open(lua, "w") as f:
    f.write("paths = {%s}\n" % ",".join(json.dumps(p) for p in paths))
    f.write("math.randomseed(42)\nrequest = function() return wrk.format('GET', paths[math.random(#paths)]) end\n")

# The writer: a trickle of publishes on a few fact sheets, every acknowledged one remembered.
sheets = []
for n in range(5):
    s, d = call("POST", "/api/v1/documents", {"kind": "fact_sheet", "number": str(80 + n), "language": "nb",
                                              "title": "Soak %d" % n, "body": "start"})
    call("POST", "/api/v1/documents/%d/publish" % d["id"], {"change_kind": "substantive", "change_note": "første"})
    sheets.append(d["id"])
acked, write_errors, stop = [], [], threading.Event()


def writer():
    i = 0
    while not stop.is_set():
        i += 1
        doc = sheets[i % len(sheets)]
        word = "soakord%dx%d" % (doc, i)
        s1, _ = call("POST", "/api/v1/documents/%d/drafts" % doc, {"body": "Tekst " + word})
        s2, d = call("POST", "/api/v1/documents/%d/publish" % doc, {"change_kind": "editorial", "change_note": word})
        if s1 == 201 and s2 == 200:
            acked.append((doc, d["current_version"]["label"], word))
        else:
            write_errors.append((s1, s2))
        time.sleep(0.2)


def rss_kb():
    with open("/proc/%d/status" % server.pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


memory = []


def sampler():
    while not stop.is_set():
        memory.append(rss_kb())
        time.sleep(2)


threads = [threading.Thread(target=writer), threading.Thread(target=sampler)]
for t in threads:
    t.start()
out = subprocess.run(["wrk", "-t2", "-c16", "-d%ds" % SECONDS, "--latency", "-s", lua, base], capture_output=True,
                     text=True, timeout=SECONDS + 60).stdout
stop.set()
for t in threads:
    t.join()
print(out)

failures = []
if "Non-2xx or 3xx responses" in out:
    failures.append("some requests failed: " + re.search(r"Non-2xx or 3xx responses: \d+", out).group(0))
if "Socket errors" in out:
    failures.append(re.search(r"Socket errors:.*", out).group(0))
if write_errors:
    failures.append("%d writes refused: %s" % (len(write_errors), write_errors[:5]))
lost = [a for a in acked if call("GET", "/api/v1/documents/%d/versions/%s" % (a[0], a[1]))[1].get("body") != "Tekst " + a[2]]
if lost:
    failures.append("%d acknowledged writes missing" % len(lost))
# Only the newest version of each sheet is searchable; check the last write of each sheet.
last = {}
for a in acked:
    last[a[0]] = a
unsearchable = [a for a in last.values() if not any(h["document_id"] == a[0] for h in call("GET", "/api/v1/search?q=" + a[2])[1]["hits"])]
if unsearchable:
    failures.append("%d latest versions not searchable" % len(unsearchable))
warm = memory[len(memory) // 4:] or memory
if warm and max(warm) > 1.5 * warm[0] + 20_000:
    failures.append("memory grew from %d KB to %d KB" % (warm[0], max(warm)))
requests = re.search(r"(\d+) requests in", out)
rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
# The latency distribution's own lines ("     99%  183.85ms"), not a "+/- Stdev" column ending in 99%.
p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
print("soak: %s s, %s requests (%s/s), p50 %s, p99 %s, %d paths; %d writes acknowledged and all present; "
      "memory %d KB at start of the warm phase, %d KB max, %d KB at end; %d failures"
      % (SECONDS, requests.group(1) if requests else "?", rps.group(1) if rps else "?", p50.group(1) if p50 else "?",
         p99.group(1) if p99 else "?", len(paths), len(acked), warm[0] if warm else 0, max(warm) if warm else 0,
         memory[-1] if memory else 0, len(failures)))
server.terminate()
server.wait(10)
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
