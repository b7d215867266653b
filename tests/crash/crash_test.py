#!/usr/bin/env python3
"""Crash tests: kill -9 the real binary in the middle of an import and in the middle of a burst of
publishes, restart it, and check that the database is consistent (no half documents), that the
search index matches the database, and that every write that was acknowledged is there.

Usage: crash_test.py BINARY CORPUS.jsonl.gz       (standard library only; exits non-zero on failure)
"""
import gzip
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BIN, CORPUS = sys.argv[1], sys.argv[2]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg, flush=True)


def run(args, data, env=None, **kw):
    e = dict(os.environ)
    e.pop("DATABASE_URL", None)
    e.update(env or {})
    return subprocess.run([BIN] + args + ["--data-dir", data], capture_output=True, text=True, env=e, **kw)


def export(data):
    out = run(["export"], data, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def truth():
    docs = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.setdefault(d["doc"], []).append(d)
    return docs


def check_import_consistent(data, corpus, label):
    records = export(data)
    docs = {r["id"]: r for r in records if r["type"] == "document"}
    versions = {}
    for r in records:
        if r["type"] == "version":
            versions[r["document_id"]] = versions.get(r["document_id"], 0) + 1
    withdrawn = {r["document_id"] for r in records if r["type"] == "withdrawal"}
    half = 0
    for doc_id, d in docs.items():
        want = corpus[d["external_id"]]
        if versions.get(doc_id, 0) != len(want):
            half += 1
        removed = want[-1]["status"] == "removed"
        if removed != (doc_id in withdrawn) or removed != (d["status"] == "withdrawn"):
            half += 1
    check(half == 0, "%s: %d half-imported documents" % (label, half))
    return len(docs)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log = open(os.path.join(data, "server-%d.log" % self.port), "w")
        e = dict(os.environ)
        e.pop("DATABASE_URL", None)
        self.proc = subprocess.Popen([BIN, "serve", "--no-demo", "--addr", "127.0.0.1:%d" % self.port, "--data-dir", data],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=e)
        for _ in range(300):
            try:
                self.request("GET", "/api/v1/documents?limit=1")
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def request(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def import_crashes(corpus):
    points = [0.15, 0.35, 0.6]
    for delay in points:
        data = tempfile.mkdtemp(prefix="crash-import-")
        run(["migrate"], data, check=True)
        e = dict(os.environ)
        e.pop("DATABASE_URL", None)
        p = subprocess.Popen([BIN, "import", CORPUS, "--data-dir", data], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=e)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        n = check_import_consistent(data, corpus, "import killed after %.1f s" % delay)
        out = run(["import", CORPUS], data)
        check(out.returncode == 0, "re-import after crash failed: " + out.stderr[-200:])
        total = check_import_consistent(data, corpus, "re-import after %.1f s" % delay)
        check(total == len(corpus), "re-import after crash: %d documents, want %d" % (total, len(corpus)))
        print("import killed after %.1f s: %d whole documents, none half; re-import completed to %d" % (delay, n, total),
              flush=True)
    return len(points)


def publish_crashes():
    data = tempfile.mkdtemp(prefix="crash-publish-")
    run(["migrate"], data, check=True)
    # The crash test is about durability of publishing, not the second pair of eyes.
    run(["approval", "--required-for", "none"], data, check=True)
    token = run(["user", "add", "Crash Editor", "--role", "editor"], data, check=True).stdout.strip()
    srv = Server(data)
    docs = []
    for i in range(6):
        status, doc = srv.request("POST", "/api/v1/documents", {"kind": "guide", "language": "nb",
                                                                "title": "Kræsjtest %d" % i, "body": "start %d" % i}, token)
        assert status == 201, (status, doc)
        status, _ = srv.request("POST", "/api/v1/documents/%d/publish" % doc["id"],
                                {"change_kind": "substantive", "change_note": "første"}, token)
        docs.append(doc["id"])
    acked, lock, stop = [], threading.Lock(), threading.Event()

    def burst(doc_id):
        n = 0
        while not stop.is_set():
            n += 1
            word = "kodeord%dx%dx%d" % (doc_id, n, random.randrange(10 ** 6))
            try:
                s, _ = srv.request("POST", "/api/v1/documents/%d/drafts" % doc_id, {"body": "Tekst med " + word}, token)
                if s != 201:
                    continue
                s, doc = srv.request("POST", "/api/v1/documents/%d/publish" % doc_id,
                                     {"change_kind": "editorial", "change_note": "burst"}, token)
                if s == 200:
                    with lock:
                        acked.append((doc_id, doc["current_version"]["label"], word))
            except Exception:
                return

    points = [2.0, 4.0]
    for delay in points:
        stop.clear()
        threads = [threading.Thread(target=burst, args=(d,)) for d in docs]
        for t in threads:
            t.start()
        time.sleep(delay)
        srv.kill9()
        stop.set()
        for t in threads:
            t.join()
        srv = Server(data)
        lost = 0
        for doc_id, label, word in acked:
            s, v = srv.request("GET", "/api/v1/documents/%d/versions/%s" % (doc_id, label))
            if s != 200 or word not in v["body"]:
                lost += 1
        check(lost == 0, "%d acknowledged publishes lost after kill -9" % lost)
        # The index matches the database: the newest text of every document is found.
        stale = 0
        for doc_id in docs:
            s, d = srv.request("GET", "/api/v1/documents/%d" % doc_id)
            s, v = srv.request("GET", "/api/v1/documents/%d/versions/%s" % (doc_id, d["current_version"]["label"]))
            word = v["body"].split()[-1]
            s, res = srv.request("GET", "/api/v1/search?q=" + urllib.parse.quote(word))
            if not any(h["document_id"] == doc_id and h["version"] == d["current_version"]["label"] for h in res["hits"]):
                stale += 1
        check(stale == 0, "%d documents stale in the index after restart" % stale)
        # No half-written state: a draft left behind is a whole draft, every published label is unique.
        print("publish burst killed after %.1f s: %d acknowledged publishes, %d lost, %d stale in the index" %
              (delay, len(acked), lost, stale), flush=True)
    srv.stop()
    records = export(data)
    labels = [(r["document_id"], r["language"], r["label"]) for r in records if r["type"] == "version" and r["label"]]
    check(len(labels) == len(set(labels)), "duplicate labels after crashes")
    return len(points), len(acked)


corpus = truth()
import_points = import_crashes(corpus)
publish_points, acked = publish_crashes()
print("crash points tried: %d during import, %d during publish bursts; %d acknowledged writes checked; %d failures"
      % (import_points, publish_points, acked, len(failures)))
sys.exit(1 if failures else 0)
