"""Web benchmark: production serving on PostgreSQL with a 100,000-member community.

    python bench/web.py [--members 100000] [--database-url URL] [--reseed] [--check]

1. Creates its own database (default postgres://postgres@127.0.0.1:5432/townsquare_bench),
   migrates it and, unless it already holds a seed of this size, runs
   `townsquare seed --members N` and times it.
2. Counts the queries each page makes, in-process (CaptureQueriesContext).
3. Starts `townsquare serve --workers 2` (granian WSGI, production settings, HTTPS on
   behind a proxy: every request carries X-Forwarded-Proto: https) with
   TOWNSQUARE_BENCH_HELLO=1 so that /bench/hello exists, signs alice in through the login
   form and issues her an API token with `townsquare issue_token`.
4. Runs wrk (50 connections, 10 s per URL, one wrk thread: it shares the 2 cores with the
   server) on hello, a member's profile, a directory search and the API member get, and
   prints the table with the targets. Results also go to var/bench/web.json.

Needs wrk (`sudo apt-get install -y wrk`) and a reachable PostgreSQL. `--dry-run` prints
the plan and checks the tools without touching anything.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from web_cpu import cpu_between, sample_cpu, settle
from web_report import (
    SEED_TARGET_SECONDS,
    TARGETS,
    Result,
    Target,
    evaluate,
    format_cpu_table,
    format_table,
    parse_wrk,
    query_rows,
    seed_line,
    wrk_script,
)

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/townsquare_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
VIEWER = "alice@demo.townsquare.local"
VIEWER_PASSWORD = "townsquare-demo"  # noqa: S105 - the seed's published demo password
SEED = 1
# A realistic search: "a Django developer who knows Postgres" (about 6,000 of 100,000
# match, all ranked); and a narrower one (about 1,300) to show how cost follows matches.
DIRECTORY_QUERY = {"q": "django", "skill": "postgres"}
NARROW_QUERY = {"q": "swiftui", "skill": "core data"}
PROFILE_TARGETS = 64  # profiles wrk rotates through, so the database is not one hot row


# Running things -----------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def townsquare(args: list[str], env: dict[str, str], capture: bool = False) -> str:
    command = [sys.executable, "-m", "townsquare", *args]
    done = subprocess.run(  # noqa: S603
        command, env=env, cwd=ROOT, check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip
    return done.stdout or ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_conninfo(database_url: str) -> tuple[str, str]:
    """(conninfo for the server's maintenance database, name of the bench database)."""
    parsed = urllib.parse.urlparse(database_url)
    name = parsed.path.lstrip("/")
    if not name:
        raise SystemExit("--database-url must name a database.")
    return parsed._replace(path="/postgres").geturl(), name


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> tuple[float | None, str]:
    """Creates, migrates and seeds the bench database as needed; returns the seed time."""
    import psycopg
    from psycopg import sql

    admin_url, name = admin_conninfo(args.database_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and args.reseed:
            log(f"Dropping database {name} (--reseed)…")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            log(f"Creating database {name}…")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        # Parallel query helps one big report, not many small requests on 2 cores: with 50
        # connections, each query's extra workers only compete for the same cores.
        setting = "RESET" if args.parallel_query else "SET max_parallel_workers_per_gather = 0"
        conn.execute(
            sql.SQL("ALTER DATABASE {} " + setting).format(sql.Identifier(name))  # noqa: S608
        )
    townsquare(["migrate", "--verbosity", "0"], env)
    seed_file = VAR / "seed.json"
    with psycopg.connect(args.database_url) as conn:
        users = conn.execute("SELECT count(*) FROM members_user").fetchone()[0]
        seeded = conn.execute(
            "SELECT data FROM pulse_auditentry WHERE action = 'seed.run' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    if seeded and seeded[0].get("members") == args.members and seeded[0].get("seed") == SEED:
        if seed_file.exists():
            previous = json.loads(seed_file.read_text())
            if previous.get("database") == name and previous.get("members") == args.members:
                return previous["seconds"], f"(timed when seeded, {previous['when']})"
        return None, "(already seeded before; --reseed to time it)"
    if users:
        raise SystemExit(
            f"Database {name} has {users} accounts but not a seed of {args.members} members; "
            "run with --reseed to recreate it."
        )
    settle(args.settle)
    log(f"Seeding {args.members:,} members (timed)…")
    started = time.monotonic()
    townsquare(["seed", "--members", str(args.members), "--seed", str(SEED)], env)
    seconds = time.monotonic() - started
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    seed_file.write_text(
        json.dumps({"database": name, "members": args.members, "seconds": seconds, "when": when})
    )
    return seconds, "(this run)"


def pick_urls() -> dict[str, Any]:
    """The viewer, the profiles and the URLs to load, chosen in-process."""
    from django.db.models import Q

    from townsquare.fabric.models import Connection
    from townsquare.members.models import Profile, Role, User, Visibility

    viewer = User.objects.get(email=VIEWER)
    ties = Connection.objects.filter(Q(member_a=viewer) | Q(member_b=viewer))
    connected = {a for pair in ties.values_list("member_a_id", "member_b_id") for a in pair}
    # Profiles with everything on show to members: the page does all its work.
    shown = Visibility.MEMBERS
    profiles = list(
        Profile.objects.filter(
            user__role=Role.MEMBER, user__admitted_at__isnull=False, user__is_active=True,
            profile_visibility=shown, bio_visibility=shown, skills_visibility=shown,
            rate_visibility=shown, availability_visibility=shown, location_visibility=shown,
            links_visibility=shown,
        )
        .exclude(bio="")
        .exclude(user_id__in=connected | {viewer.pk})
        .order_by("user_id")
        .values_list("user_id", flat=True)[:PROFILE_TARGETS]
    )  # fmt: skip
    return {
        "viewer": viewer,
        "profile_ids": profiles,
        "profile": [f"/members/{pk}/" for pk in profiles],
        "directory": ["/members/?" + urllib.parse.urlencode(DIRECTORY_QUERY)],
        "directory (narrow)": ["/members/?" + urllib.parse.urlencode(NARROW_QUERY)],
        "api": [f"/api/v1/members/{pk}" for pk in profiles],
    }


def count_queries(urls: dict[str, Any], token: str | None, headers: dict[str, str]) -> dict:
    """Queries per page in steady state (after one warm-up request), measured in-process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    client = Client(**extra)
    client.force_login(urls["viewer"], backend="townsquare.members.auth.EmailBackend")
    pages = {name: urls[name][0] for name in ("profile", "directory", "directory (narrow)")}
    counts = {}
    for name, path in pages.items():
        for _warm in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name} {path} answered {response.status_code} in-process.")
        counts[name] = len(captured)
    if token:
        api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", **extra)
        for _warm in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = api.get(urls["api"][0])
        if response.status_code != 200:
            raise SystemExit(f"API {urls['api'][0]} answered {response.status_code} in-process.")
        counts["api member get"] = len(captured)
    return counts


class Server:
    """`townsquare serve` in its own process group, stopped by that group's id."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str], port: int) -> None:
        self.port = port
        command = [
            sys.executable, "-m", "townsquare", "serve", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(args.workers), "--threads", str(args.threads),
            "--backpressure", str(args.backpressure),
        ]  # fmt: skip
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit("The server exited:\n" + self.log.read().decode(errors="replace"))
            try:
                status, _headers, _body = request(self.port, "GET", "/healthz", {})
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("The server did not answer /healthz in time.")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def cookies_from(message: http.client.HTTPMessage) -> dict[str, str]:
    from http.cookies import SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    for header in message.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(port: int, headers: dict[str, str]) -> str:
    """Signs the viewer in through the login form; returns the Cookie header to send."""
    status, got, body = request(port, "GET", "/accounts/login/", headers)
    if status != 200:
        raise SystemExit(f"GET /accounts/login/ answered {status}.")
    csrf = cookies_from(got)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None:
        raise SystemExit("The login page has no CSRF token.")
    origin = f"https://127.0.0.1:{port}"
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "email": VIEWER,
            "password": VIEWER_PASSWORD,
        }
    )
    status, got, _body = request(
        port, "POST", "/accounts/login/",
        {**headers, "Cookie": f"csrftoken={csrf}", "Origin": origin,
         "Referer": f"{origin}/accounts/login/",
         "Content-Type": "application/x-www-form-urlencoded"},
        form,
    )  # fmt: skip
    session = cookies_from(got).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"Signing in failed (status {status}).")
    return f"sessionid={session}; csrftoken={csrf}"


def database_pids(database_url: str) -> set[int]:
    import psycopg

    _admin, name = admin_conninfo(database_url)
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return {pid for (pid,) in rows}


def run_wrk(
    args: argparse.Namespace,
    port: int,
    name: str,
    paths: list[str],
    headers: dict,
    server: Server | None = None,
) -> Result:
    script = VAR / f"wrk-{re.sub(r'[^a-z]+', '-', name)}.lua"
    script.write_text(wrk_script(paths, headers))
    # A long timeout: a slow page should show up in p99, not vanish as a socket error.
    base = ["wrk", "-t1", f"-c{args.connections}", "--timeout", "30s", "-s", str(script),
            f"http://127.0.0.1:{port}"]  # fmt: skip
    settle(args.settle)
    # Warm up every worker (templates, the skills matcher, database caches) unmeasured.
    subprocess.run([*base[:5], f"-d{args.warmup}s", *base[5:]], check=True, capture_output=True)  # noqa: S603
    # The server's database connections persist (CONN_MAX_AGE): after the warm-up they are
    # the backends that serve the measured run.
    db_pids = database_pids(args.database_url)
    before = sample_cpu(server.process.pid, db_pids) if server else None
    out = subprocess.run([*base[:5], f"-d{args.duration}s", *base[5:]], check=True,  # noqa: S603
                         capture_output=True, text=True).stdout  # fmt: skip
    # Backends opened during the run (a connection past CONN_MAX_AGE is replaced) count too.
    after = (
        sample_cpu(server.process.pid, db_pids | database_pids(args.database_url))
        if server
        else None
    )
    result = parse_wrk(
        out, name, paths[0] + (f" (+{len(paths) - 1} more)" if len(paths) > 1 else "")
    )
    requests = result.rps * args.duration
    if before and after and requests:
        app, db = cpu_between(before.app, after.app), cpu_between(before.db, after.db)
        wrk = after.wrk - before.wrk
        result.app_cpu_ms = app * 1000 / requests
        result.db_cpu_ms = db * 1000 / requests
        result.wrk_cpu_ms = wrk * 1000 / requests
        others = (after.busy - before.busy) - (app + db + wrk)
        result.neighbours = max(0.0, others / ((after.at - before.at) * (os.cpu_count() or 1)))
    log(f"  {name}: {result.rps:,.0f} req/s, p99 {result.p99_ms:.1f} ms")
    return result


def machine() -> dict[str, str]:
    import platform

    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return {
        "cpus": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "wrk": (wrk_version.stdout or wrk_version.stderr).split("\n")[0].strip(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
                        help='The cache, as in production; "" for per-process memory.')  # fmt: skip
    parser.add_argument("--reseed", action="store_true", help="Drop the bench database first.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds per URL.")
    parser.add_argument("--warmup", type=int, default=3, help="Unmeasured seconds per URL.")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--backpressure", type=int, default=32)
    parser.add_argument("--skip-api", action="store_true", help="Leave out the API row.")
    parser.add_argument(
        "--parallel-query",
        action="store_true",
        help="Keep PostgreSQL's parallel query (the bench turns it off for its database).",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=0,
        help="On a shared machine: wait up to this many seconds before each URL for the "
        "load average to drop below 0.8.",
    )
    parser.add_argument("--check", action="store_true", help="Exit 1 when a target is missed.")
    parser.add_argument("--dry-run", action="store_true", help="Print the plan; run nothing.")
    args = parser.parse_args(argv)

    if shutil.which("wrk") is None:
        log("wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk")
        return 2
    VAR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "townsquare.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "TOWNSQUARE_VAR": str(VAR),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "TOWNSQUARE_BENCH_HELLO": "1",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("HTTPS", None)  # production default: on, behind a proxy that says so
    headers = {"X-Forwarded-Proto": "https"}
    if args.dry_run:
        print(
            f"database {args.database_url}: create, migrate, seed {args.members:,} members if needed"
        )
        print(
            f"serve --workers {args.workers} --threads {args.threads} --backpressure {args.backpressure}"
        )
        print(f"wrk -t1 -c{args.connections} -d{args.duration}s on: /bench/hello, /members/<id>/, "
              f"/members/?{urllib.parse.urlencode(DIRECTORY_QUERY)}, /api/v1/members/<id>")  # fmt: skip
        return 0

    load = os.getloadavg()[0]
    if load > 0.5:
        log(f"Note: load average {load:.1f} before starting; other work shares the CPUs.")
    seed_seconds, seed_note = prepare_database(args, env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    urls = pick_urls()
    token = None
    if not args.skip_api:
        token = townsquare(["issue_token", VIEWER, "--name", "bench"], env, capture=True).strip()
    counts = count_queries(urls, token, headers)
    from django.db import connections

    connections.close_all()

    port = free_port()
    # SIGTERM (a CI timeout, a kill) still stops the server through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = Server(args, env, port)
    results = []
    try:
        server.wait_ready()
        cookie = sign_in(port, headers)
        signed_in = {**headers, "Cookie": cookie}
        log(f"wrk: {args.connections} connections, {args.duration} s per URL")
        plan = [
            ("hello", ["/bench/hello"], headers),
            ("hello (signed in)", ["/bench/hello"], signed_in),
            ("profile", urls["profile"], signed_in),
            ("directory", urls["directory"], signed_in),
            ("directory (narrow)", urls["directory (narrow)"], signed_in),
        ]
        if token:
            plan.append(
                ("api member get", urls["api"], {**headers, "Authorization": f"Bearer {token}"})
            )
        for name, paths, sent in plan:
            result = run_wrk(args, port, name, paths, sent, server)
            result.queries = counts.get(name)
            results.append(result)
    finally:
        server.stop()

    rows = evaluate(results)
    print()
    print(seed_line(seed_seconds, args.members, seed_note))
    print()
    print(format_table(rows))
    print()
    print(format_cpu_table(rows, os.cpu_count() or 1))
    print()
    print("\n".join(query_rows(counts)))
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "members": args.members,
        "seed_seconds": seed_seconds,
        "rows": [asdict(r) for r in rows],
        "queries": counts,
        "settings": {
            k: getattr(args, k)
            for k in ("duration", "connections", "workers", "threads", "backpressure")
        },
    }
    (VAR / "web.json").write_text(json.dumps(report, indent=2))
    failed = any(r.passed is False for r in rows) or any(
        (TARGETS.get(n, Target()).max_queries or 1e9) < c for n, c in counts.items()
    )
    if seed_seconds is not None and args.members >= 100_000:
        failed = failed or seed_seconds > SEED_TARGET_SECONDS
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
