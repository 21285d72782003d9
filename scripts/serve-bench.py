#!/usr/bin/env python3
"""Benchmark (not a test): `vigie serve`, from a saved page to the browser.

Starts `vigie serve ROOT` on loopback (a port the system picks), waits for the
first build, listens to the live-reload stream (`/__vigie/events`, one
server-sent event per build: its data is the build number) and then, for each
of N saves, appends a unique line to one page's Markdown and measures the time
from the write until
  (a) the stream announces a newer build, and
  (b) a GET of the page's URL returns HTML holding the unique line
      (what a reloaded browser shows).
Prints each save, the median and max of (b), and serve's memory (VmRSS and
VmHWM from /proc/PID/status) after the first build and after the saves.
The page is restored afterwards.

    scripts/serve-bench.py VIGIE ROOT [--saves N] [--timeout S] [--page REL]

Standard library only. Goals: (b) at most 300 ms, memory flat across saves.
"""

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

GOAL_VISIBLE_MS = 300
# "Flat": after the last save, at most this much above the resident memory
# after the first save (the first rebuild may fill caches once).
FLAT_SLACK = 0.10


def memory(pid):
    """(VmRSS, VmHWM) of process `pid` in MB."""
    values = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def page_url(rel):
    """URL path of the page whose Markdown is `rel` (relative to the book's src)."""
    rel = rel.replace(os.sep, "/")
    head, _, name = rel.rpartition("/")
    prefix = "/" + head + "/" if head else "/"
    if name.lower() == "readme.md" or name == "index.md":
        return prefix
    return prefix + name[: -len(".md")] + ".html"


class Server:
    """`vigie serve` running, its terminal lines collected with their time."""

    def __init__(self, vigie, root):
        self.lines = []
        self.lock = threading.Condition()
        self.proc = subprocess.Popen(
            [vigie, "serve", root, "--port", "0", "--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            with self.lock:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.lock.notify_all()
        with self.lock:
            self.lines.append((time.perf_counter(), None))
            self.lock.notify_all()

    def wait_for(self, pattern, start, timeout):
        """First line at index >= start that matches `pattern`: (index, match) or None."""
        deadline = time.perf_counter() + timeout
        i = start
        with self.lock:
            while True:
                while i < len(self.lines):
                    line = self.lines[i][1]
                    if line is None:
                        return None
                    m = re.search(pattern, line)
                    if m:
                        return i, m
                    i += 1
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.lock.wait(left)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Events:
    """The live-reload stream: every build number announced, with its time."""

    def __init__(self, host, port):
        self.seen = []
        self.cond = threading.Condition()
        self.conn = http.client.HTTPConnection(host, port, timeout=None)
        self.conn.request("GET", "/__vigie/events", headers={"Accept": "text/event-stream"})
        self.response = self.conn.getresponse()
        if self.response.status != 200:
            raise RuntimeError("/__vigie/events answered %d" % self.response.status)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                line = line.decode("utf-8", "replace").strip()
                if line.startswith("data:"):
                    try:
                        n = int(line[5:].strip())
                    except ValueError:
                        continue
                    with self.cond:
                        self.seen.append((time.perf_counter(), n))
                        self.cond.notify_all()
        except (OSError, http.client.HTTPException):
            pass

    def first_above(self, generation, timeout):
        """(time, number) of the first build announced above `generation`, or None."""
        deadline = time.perf_counter() + timeout
        with self.cond:
            while True:
                for t, n in self.seen:
                    if n > generation:
                        return t, n
                left = deadline - time.perf_counter()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def latest(self):
        with self.cond:
            return self.seen[-1][1] if self.seen else 0


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("vigie", help="the vigie binary")
    ap.add_argument("root", help="knowledge-base root (mdBook layout: book.toml + src/)")
    ap.add_argument("--saves", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one save")
    ap.add_argument("--first-build-timeout", type=float, default=900.0)
    ap.add_argument("--page", help="page to edit, relative to src/ (default: the 100th leaf page)")
    a = ap.parse_args()

    src = os.path.join(a.root, "src")
    if a.page:
        rel = a.page
    else:
        pages = sorted(
            os.path.relpath(os.path.join(d, f), src)
            for d, _, files in os.walk(src)
            for f in files
            if f.endswith(".md") and f not in ("SUMMARY.md", "README.md")
        )
        if not pages:
            sys.exit("no page under %s" % src)
        rel = pages[min(99, len(pages) - 1)]
    path = os.path.join(src, rel)
    with open(path, "rb") as f:
        original = f.read()

    started = time.perf_counter()
    server = Server(a.vigie, a.root)
    try:
        found = server.wait_for(r"serving .* on http://([0-9.]+):(\d+)/", 0, a.first_build_timeout)
        if not found:
            tail = "\n".join(l for _, l in server.lines[-5:] if l)
            sys.exit("serve did not start within %ds:\n%s" % (a.first_build_timeout, tail))
        first_build = time.perf_counter() - started
        host, port = found[1].group(1), int(found[1].group(2))
        url = "http://%s:%d%s" % (host, port, page_url(rel))
        rss0, hwm0 = memory(server.proc.pid)
        print("serve: first build served after %.1f s; memory %.0f MB (VmRSS), %.0f MB (VmHWM)"
              % (first_build, rss0, hwm0))
        if "<html" not in fetch(url).lower():
            sys.exit("GET %s does not answer with the page" % url)
        events = Events(host, port)
        if not events.first_above(-1, 10):
            sys.exit("the live-reload stream sent nothing")
        print("editing %s (%s), %d saves, %.0f s allowed each" % (rel, page_url(rel), a.saves, a.timeout))

        visible, announced, rss_after = [], [], []
        line_no = len(server.lines)
        for i in range(1, a.saves + 1):
            generation = events.latest()
            token = "bancdessai%d%dz%d" % (os.getpid(), i, time.time_ns() % 10**9)
            text = original + ("\n\nLigne ajoutée par le banc d'essai : %s.\n" % token).encode()
            t0 = time.perf_counter()
            with open(path, "wb") as f:
                f.write(text)
            seen_at = None
            while time.perf_counter() - t0 < a.timeout:
                if token in fetch(url):
                    seen_at = time.perf_counter()
                    break
                time.sleep(0.01)
            ev = events.first_above(generation, max(1.0, a.timeout - (time.perf_counter() - t0)))
            built = server.wait_for(r"(built|updated) .*", line_no, 2.0)
            if built:
                line_no = built[0] + 1
            rss, hwm = memory(server.proc.pid)
            rss_after.append(rss)
            b = "timeout" if seen_at is None else "%.0f ms" % ((seen_at - t0) * 1000)
            e = "none" if ev is None else "%.0f ms" % ((ev[0] - t0) * 1000)
            print("  save %3d: reload announced %8s, page shows it %8s  (%s; VmRSS %.0f MB, VmHWM %.0f MB)"
                  % (i, e, b, built[1].group(0) if built else "no build line", rss, hwm))
            if seen_at is not None:
                visible.append((seen_at - t0) * 1000)
            if ev is not None:
                announced.append((ev[0] - t0) * 1000)
    finally:
        with open(path, "wb") as f:
            f.write(original)
        rss1, hwm1 = (memory(server.proc.pid) if server.proc.poll() is None else (0.0, 0.0))
        server.stop()

    print("serve, %d saves:" % a.saves)
    if visible:
        med, worst = statistics.median(visible), max(visible)
        print("  save -> page shows it: median %.0f ms, max %.0f ms (%d/%d saves seen)   goal <= %d ms: %s"
              % (med, worst, len(visible), a.saves, GOAL_VISIBLE_MS,
                 "pass" if len(visible) == a.saves and med <= GOAL_VISIBLE_MS else "FAIL"))
    else:
        print("  save -> page shows it: never within %.0f s   goal <= %d ms: FAIL" % (a.timeout, GOAL_VISIBLE_MS))
    if announced:
        print("  save -> reload announced: median %.0f ms, max %.0f ms"
              % (statistics.median(announced), max(announced)))
    if rss_after:
        growth = rss_after[-1] - rss_after[0]
        flat = rss_after[-1] <= rss_after[0] * (1 + FLAT_SLACK)
        print("  memory: %.0f MB after the first build, %.0f MB after save 1, %.0f MB after save %d "
              "(%+.1f MB per save since save 1); peak %.0f MB   goal flat (<= +%d%%): %s"
              % (rss0, rss_after[0], rss_after[-1], len(rss_after),
                 growth / max(1, len(rss_after) - 1), hwm1, int(FLAT_SLACK * 100),
                 "pass" if flat else "FAIL"))


if __name__ == "__main__":
    main()
