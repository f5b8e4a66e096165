"""Load test: gunicorn in front of PostgreSQL with 100,000 people, a mixed workload of
employment specialists and managers driven by wrk from a second process, bounded in time.

Prepare the database once (the synthetic generator, 1,000 people per service):

    createdb -h 127.0.0.1 -U postgres ips_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ips_load python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ips_load \\
        python manage.py generate_synthetic --services 100 --people 100000 --seed 1

then ``python benchmarks/load_test.py --database-url postgres://...ips_load`` (needs ``wrk``:
``apt-get install wrk``). Production settings (DEBUG off, second factor required, manifest
static files); sessions are made as signing in makes them (benchmarks/_serve.py).

The workload, per request (weights): specialists 70% (their caseload 25, a person on it 30,
their week 15), managers 30% (the referral queue 10, the service overview 10, a person 10).
Every person page writes an access-log entry, as it does in use. Each response other than
200 counts as an error. Beside wrk, a writer records contacts through the contact form as the
specialists would (``--writes-per-second``, default 2: the form, then the POST), so the pages
the server keeps (ipsworks/core/page_cache.py) go stale and are drawn again as in use. The
server uses Redis as its shared cache (``--cache-url``). Results: benchmarks/results/load.json.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from _django import machine, setup_django, write_result
from _serve import (
    SECRET,
    collectstatic,
    free_port,
    production_env,
    signed_in_session,
    start_gunicorn,
)

MIX = [  # (role, url kind, weight)
    ("es", "caseload", 25),
    ("es", "person", 30),
    ("es", "week", 15),
    ("manager", "referrals", 10),
    ("manager", "service", 10),
    ("manager", "person", 10),
]
PATHS = {
    "caseload": "/caseload/",
    "week": "/week/",
    "referrals": "/referrals/",
    "service": "/service/",
}

LUA = r"""
local requests = {}
%(entries)s
local statuses = {}
math.randomseed(%(seed)d)
setup = function(thread) thread:set("id", math.random(1, 1000000)) end
init = function(args) math.randomseed(id or 1) end
request = function()
  local r = requests[math.random(1, #requests)]
  return wrk.format("GET", r[1], {["Cookie"] = "sessionid=" .. r[2]})
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 200 then
    io.stderr:write(status, " ", headers["Location"] or "", "\n")
  end
end
done = function(summary, latency, requests_)
  local out = io.open("%(out)s", "w")
  out:write(string.format(
    '{"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p90_ms": %%.2f, "p95_ms": %%.2f, '
    .. '"p99_ms": %%.2f, "max_ms": %%.2f, "mean_ms": %%.2f, "socket_errors": %%d, '
    .. '"non_2xx_3xx": %%d}',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, latency.mean / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
  out:close()
end
"""


def _sessions(
    es_count: int, managers: int, seed: int
) -> tuple[list[tuple[str, str]], list[tuple[str, list[int]]]]:
    """(path, session key) pairs in the proportions of MIX, and for each specialist their
    session key and the people on their caseload (for the writer)."""
    from ipsworks.access.roles import Role
    from ipsworks.organisations.models import StaffMember
    from ipsworks.people import queries

    rng = random.Random(seed)
    specialists = list(
        StaffMember.objects.filter(role=Role.EMPLOYMENT_SPECIALIST, left_on__isnull=True)
        .select_related("user", "service")
        .order_by("pk")
    )
    bosses = list(
        StaffMember.objects.filter(role=Role.MANAGER, left_on__isnull=True)
        .select_related("user", "service")
        .order_by("pk")
    )
    chosen = {"es": rng.sample(specialists, es_count), "manager": rng.sample(bosses, managers)}
    people: dict[int, list[int]] = {}
    keys: dict[int, str] = {}
    for group in chosen.values():
        for staff in group:
            keys[staff.pk] = signed_in_session(staff)
            if staff.role == Role.EMPLOYMENT_SPECIALIST:
                ids = list(queries.caseload_for(staff).values_list("person_id", flat=True)[:20])
            else:
                ids = list(
                    queries.referral_queue_for(staff).values_list("person_id", flat=True)[:20]
                )
            people[staff.pk] = ids or []
    entries: list[tuple[str, str]] = []
    for role, kind, weight in MIX:
        for _ in range(weight * 4):
            staff = rng.choice(chosen[role])
            if kind == "person":
                if not people[staff.pk]:
                    continue
                path = f"/people/{rng.choice(people[staff.pk])}/"
            else:
                path = PATHS[kind]
            entries.append((path, keys[staff.pk]))
    writers = [(keys[s.pk], people[s.pk]) for s in chosen["es"] if people[s.pk]]
    return entries, writers


class Writer(threading.Thread):
    """Records contacts through the contact form at a steady rate: GET the form (for its
    CSRF token), then POST it, as a specialist's browser does. A write that does not end in
    the redirect to the person's record counts as an error."""

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, port: int, writers, per_second: float, seconds: float, seed: int):
        super().__init__(daemon=True)
        self.port, self.writers, self.seconds = port, writers, seconds
        self.interval = 1 / per_second if per_second > 0 else None
        self.rng = random.Random(seed)
        self.done = 0
        self.errors: list[str] = []
        self.latencies_ms: list[float] = []

    def run(self) -> None:
        if self.interval is None or not self.writers:
            return
        end = time.monotonic() + self.seconds
        due = time.monotonic()
        while due < end:
            time.sleep(max(0.0, due - time.monotonic()))
            due += self.interval
            key, people = self.rng.choice(self.writers)
            started = time.perf_counter()
            try:
                self._write(key, self.rng.choice(people))
                self.done += 1
            except Exception as error:  # every failure is reported
                self.errors.append(str(error)[:200])
            self.latencies_ms.append((time.perf_counter() - started) * 1000)

    def _write(self, session_key: str, person_id: int) -> None:
        path = f"/people/{person_id}/contacts/new/"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Cookie": f"sessionid={session_key}"})
            form = connection.getresponse()
            html = form.read().decode()
            if form.status != 200:
                raise RuntimeError(f"form answered {form.status}")
            cookie = next(
                (
                    v.split(";")[0]
                    for k, v in form.getheaders()
                    if k.lower() == "set-cookie" and v.startswith("csrftoken=")
                ),
                "",
            )
            today = date.today()
            body = urlencode(
                {
                    "csrfmiddlewaretoken": self.TOKEN.search(html).group(1),
                    "contact_date[day]": today.day,
                    "contact_date[month]": today.month,
                    "contact_date[year]": today.year,
                    "with_whom": "person",
                    "mode": "face_to_face",
                    "place": "community",
                    "outcome": "completed",
                    "duration_minutes": 15,
                    "note": "Load test: call about a warehouse vacancy",
                }
            )
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    "Cookie": f"sessionid={session_key}; {cookie}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            saved = connection.getresponse()
            saved.read()
            if saved.status != 302:
                raise RuntimeError(f"contact form POST answered {saved.status}")
        finally:
            connection.close()


def cpu_probe() -> float:
    """Seconds for ten million additions in a Python loop: this machine's speed on the day.

    The same shared machine has measured anywhere from 0.6 s to 2.3 s, so figures from
    different days are compared only through this."""
    began = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return round(time.perf_counter() - began, 2)


SERVER_PROCESSES = ("gunicorn", "postgres", "redis-server")


def server_cpu_seconds() -> collections.Counter:
    """CPU seconds used so far by the server's processes (gunicorn, PostgreSQL, Redis), by
    name, from /proc. The difference over a run, per request, measures the work a request
    costs the server: unlike requests a second, it hardly moves with how busy the shared
    machine is, so it compares changes to the code across runs and days."""
    ticks = os.sysconf("SC_CLK_TCK")
    used: collections.Counter = collections.Counter()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        if name in SERVER_PROCESSES:
            fields = stat[stat.rindex(")") + 2 :].split()
            # Its own time and its ended children's: PostgreSQL ends a connection's process
            # when Django closes the connection (CONN_MAX_AGE), and its parent then holds it.
            used[name] += sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks
    return used


def _signed_in_floor(port: int, session_key: str) -> float:
    """Requests a second for the cheapest signed-in request (the health check with a
    session: session, user and staff member, second factor, one query): no page can be
    served faster than this by these workers on this machine."""
    run = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c16",
            "-d10s",
            "-H",
            f"Cookie: sessionid={session_key}",
            f"http://127.0.0.1:{port}/healthz",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(line for line in run.stdout.splitlines() if line.startswith("Requests/sec"))
    return float(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ips_load")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (more than 1: gthread)"
    )
    parser.add_argument("--specialists", type=int, default=40)
    parser.add_argument("--managers", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label", default="", help="suffix for the results file")
    parser.add_argument(
        "--writes-per-second", type=float, default=2.0, help="contacts recorded (0: none)"
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/3",
        help="IPS_CACHE_URL for the server ('locmem://' turns the page cache off)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    setup_django(args.database_url, IPS_SECRET_KEY=SECRET)
    from ipsworks.people.models import Person

    people = Person.objects.count()
    entries, writers = _sessions(args.specialists, args.managers, args.seed)
    probe = cpu_probe()
    env = {**production_env(args.database_url), "IPS_CACHE_URL": args.cache_url}
    collectstatic(env)
    port = free_port()
    server = start_gunicorn(env, port, args.workers, args.threads)
    folder = Path(tempfile.mkdtemp(prefix="ipsworks-load-"))
    out = folder / "summary.json"
    script = folder / "mix.lua"
    script.write_text(
        LUA
        % {
            "entries": "\n".join(
                f'requests[{i + 1}] = {{"{p}", "{k}"}}' for i, (p, k) in enumerate(entries)
            ),
            "seed": args.seed,
            "out": out,
        }
    )
    try:
        # Warm up: every worker has imported everything and opened its connection.
        subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{args.connections}",
                "-d5s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            check=True,
            capture_output=True,
        )
        started = time.time()
        cpu_before = server_cpu_seconds()
        writer = Writer(port, writers, args.writes_per_second, args.duration, args.seed)
        writer.start()
        run = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        writer.join(timeout=30)
        cpu_used = server_cpu_seconds() - cpu_before
        summary = json.loads(out.read_text())
        floor = _signed_in_floor(port, entries[0][1])
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors = summary["non_2xx_3xx"] + summary["socket_errors"]
    non_200 = [line for line in run.stderr.splitlines() if line.strip()]
    result = {
        "people": people,
        "workload": {
            "mix": MIX,
            "distinct_requests": len(entries),
            "specialists": args.specialists,
            "managers": args.managers,
        },
        "server": {
            "gunicorn_workers": args.workers,
            "gunicorn_worker_class": "gthread" if args.threads > 1 else "sync",
            "threads_per_worker": args.threads,
            "database": "postgresql",
            "cache": args.cache_url.split("://")[0],
            "page_cache": not args.cache_url.startswith("locmem"),
        },
        "writes": {
            "per_second_asked": args.writes_per_second,
            "contacts_recorded": writer.done,
            "errors": len(writer.errors),
            "error_examples": writer.errors[:5],
            "p95_ms_form_and_post": round(
                sorted(writer.latencies_ms)[int(len(writer.latencies_ms) * 0.95)], 1
            )
            if writer.latencies_ms
            else None,
        },
        "client": {
            "tool": "wrk",
            "threads": 1,
            "connections": args.connections,
            "duration_s": args.duration,
        },
        "started": started,
        "requests": summary["requests"],
        "requests_per_second": round(summary["requests"] / summary["seconds"], 1),
        "p50_ms": round(summary["p50_ms"], 1),
        "p95_ms": round(summary["p95_ms"], 1),
        "p99_ms": round(summary["p99_ms"], 1),
        "max_ms": round(summary["max_ms"], 1),
        "errors": errors + len(non_200) + len(writer.errors),
        "non_200_examples": non_200[:10],
        "target": {"requests_per_second": 300, "p95_ms": 300, "errors": 0},
        "machine": {**machine(), "cpu_probe_s": probe},
        "signed_in_floor_requests_per_second": floor,
        # The server's CPU time (all gunicorn workers, PostgreSQL and Redis) per request,
        # writer's requests included: steadier than req/s on a shared machine.
        "server_cpu_ms_per_request": {
            name: round(seconds * 1000 / summary["requests"], 2)
            for name, seconds in sorted(cpu_used.items())
        }
        | {"total": round(sum(cpu_used.values()) * 1000 / summary["requests"], 2)},
        "wrk_output": run.stdout,
    }
    result["target_met"] = (
        result["requests_per_second"] >= 300 and result["p95_ms"] < 300 and result["errors"] == 0
    )
    name = f"load{('-' + args.label) if args.label else ''}.json"
    path = write_result(name, result)
    print(run.stdout)
    print(
        f"{result['requests_per_second']} req/s, p50 {result['p50_ms']} ms, p95 "
        f"{result['p95_ms']} ms, errors {result['errors']}, server CPU "
        f"{result['server_cpu_ms_per_request']['total']} ms a request -> {path}"
    )


if __name__ == "__main__":
    main()
