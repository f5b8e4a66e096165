"""Resilience: PostgreSQL restarted under traffic; the application recovers by itself.

``python benchmarks/resilience_pg_restart.py --database-url postgres://...`` starts gunicorn
(production settings) against the database, drives steady traffic from client threads (a
specialist's caseload page, the API with a token, and the health check), restarts the
PostgreSQL cluster once (``pg_ctlcluster --skip-systemctl-redirect <version> main restart``,
which needs root and affects every database on the cluster: run it on a machine you may
disturb), keeps the traffic going, and records per second which answers came back.

It passes when: no answer is a 500 or shows a traceback; requests during the outage get a
clean 503 (page, JSON or health check) or a connection-level error while the listener is
down; requests succeed again within seconds of the database being back; and the gunicorn
master and workers are the same processes throughout (nothing restarted the application).
Results: benchmarks/results/resilience-pg-restart.json.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import subprocess
import threading
import time

from _django import machine, setup_django, write_result
from _serve import (
    SECRET,
    collectstatic,
    free_port,
    production_env,
    signed_in_session,
    start_gunicorn,
)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return sorted(int(p) for p in out.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ips_load")
    parser.add_argument("--before", type=float, default=8, help="seconds of traffic before")
    parser.add_argument("--after", type=float, default=15, help="seconds of traffic after")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    setup_django(args.database_url, IPS_SECRET_KEY=SECRET)
    from django.db import connections

    from ipsworks.access.roles import Role
    from ipsworks.apitokens.services import create_token
    from ipsworks.organisations.models import StaffMember

    staff = StaffMember.objects.filter(role=Role.EMPLOYMENT_SPECIALIST).order_by("pk").first()
    session = signed_in_session(staff)
    token = create_token(staff=staff, name="resilience", valid_days=1).raw
    connections.close_all()
    env = production_env(args.database_url)
    collectstatic(env)
    port = free_port()
    server = start_gunicorn(env, port, workers=2)
    workers_before = _children(server.pid)
    requests = [
        ("/caseload/", {"Cookie": f"sessionid={session}"}),
        ("/api/v1/people?page_size=5", {"Authorization": f"Bearer {token}"}),
        ("/healthz", {}),
    ]
    log: list[tuple[float, str, str, bool]] = []
    lock = threading.Lock()
    stop = threading.Event()
    t0 = time.monotonic()

    def client(index: int) -> None:
        conn = None
        n = index
        while not stop.is_set():
            path, headers = requests[n % len(requests)]
            n += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read().decode(errors="replace")
                outcome = str(response.status)
                leaked = "Traceback" in body or 'File "/' in body
            except OSError as error:
                outcome, leaked = f"connection error ({type(error).__name__})", False
                conn = None
                time.sleep(0.05)
            with lock:
                log.append((time.monotonic() - t0, path.split("?")[0], outcome, leaked))
            time.sleep(0.02)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.threads)]
    for thread in threads:
        thread.start()
    time.sleep(args.before)
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    restart_at = time.monotonic() - t0
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
    back_at = time.monotonic() - t0
    time.sleep(args.after)
    stop.set()
    for thread in threads:
        thread.join()
    workers_after = _children(server.pid)
    server.terminate()
    server.wait(timeout=30)

    def phase(at: float) -> str:
        if at < restart_at:
            return "before"
        if at <= back_at + 1:
            return "during"
        return "after"

    by_phase: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for at, path, outcome, _ in log:
        by_phase[phase(at)][f"{path} {outcome}"] += 1
    first_ok_after = min(
        (at for at, path, outcome, _ in log if at > back_at and outcome == "200"), default=None
    )
    failures_after = [
        (round(at, 2), path, outcome)
        for at, path, outcome, _ in log
        if first_ok_after is not None and at > first_ok_after + 2 and outcome != "200"
    ]
    result = {
        "restart": {"began_s": round(restart_at, 2), "cluster_back_s": round(back_at, 2)},
        "answers": {k: dict(v) for k, v in by_phase.items()},
        "server_errors_500": sum(1 for _, _, o, _ in log if o == "500"),
        "tracebacks_shown": sum(1 for *_, leaked in log if leaked),
        "first_success_after_restart_s": round(first_ok_after - back_at, 2)
        if first_ok_after
        else None,
        "failures_more_than_2s_after_recovery": failures_after[:20],
        "gunicorn_master_pid": server.pid,
        "gunicorn_workers_same": workers_before == workers_after,
        "workers": {"before": workers_before, "after": workers_after},
        "machine": machine(),
    }
    result["passed"] = (
        result["server_errors_500"] == 0
        and result["tracebacks_shown"] == 0
        and first_ok_after is not None
        and not failures_after
        and result["gunicorn_workers_same"]
    )
    path = write_result("resilience-pg-restart.json", result)
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=1))
    print(f"{'PASSED' if result['passed'] else 'FAILED'}: {path}")


if __name__ == "__main__":
    main()
