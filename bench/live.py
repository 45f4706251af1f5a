"""Live messaging benchmark: 500 websocket clients on one ASGI process, 200 messages/s.

    python bench/live.py [--database-url URL] [--clients 500] [--rate 200] [--duration 10]
    python bench/live.py --quick            # a smoke run: 20 clients, 20 messages/s, 3 s

1. Prepares a database: SQLite in var/bench/live/ by default (the embedded default), or the
   PostgreSQL database of --database-url (created if missing); migrates it and, when it
   holds no one yet, runs `townsquare seed --members N`.
2. Picks the clients among seeded members, pairs connected ones into direct conversations
   (through the service, so the message policy applies) and signs each in (a real session
   row; the socket carries its cookie).
3. Starts `townsquare serve --asgi` (one granian ASGI process, in-memory channel layer
   unless --redis-url) and waits for /healthz.
4. Connects every client to /ws/live/ (loopback only), then sends --rate messages per second
   in total for --duration seconds, each from a random client into its conversation, with
   the send time in the body. Every other participant's socket records the delivery
   latency (receive time − send time, one clock: both ends are this process). After a
   drain of a few seconds, deliveries never seen are counted lost.
5. Prints p50/p95/p99 and losses against the targets (p99 <= 100 ms, 0 lost) with
   PASS/FAIL, writes var/bench/live.json, exits 1 when a target is missed.

Everything stays on 127.0.0.1 and every loop is bounded in count and time.
BENCH_SETTINGS=<module> serves with another settings module (to try a setting before
changing townsquare/settings.py); the default is townsquare.settings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
TARGET_P99_MS = 100.0
TOKEN = re.compile(r"bench (\d+) (\d+)")
SEED = 1


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Results -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    clients: int
    conversations: int
    rate: float
    duration: float
    database: str
    layer: str
    sent: int = 0
    acked: int = 0
    refused: int = 0
    expected: int = 0
    delivered: int = 0
    duplicates: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.expected - self.delivered

    def percentile(self, q: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        # Nearest rank: the smallest value with at least q% of the samples at or below it.
        index = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def passed(self) -> bool:
        p99 = self.percentile(99)
        return (
            self.lost == 0
            and self.refused == 0
            and self.duplicates == 0
            and p99 is not None
            and p99 <= TARGET_P99_MS
        )


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "FAIL")


def format_table(outcome: Outcome) -> str:
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f} ms"

    p99 = outcome.percentile(99)
    rows = [
        ("clients (websockets)", str(outcome.clients), "", ""),
        ("conversations", str(outcome.conversations), "", ""),
        ("messages sent / acked", f"{outcome.sent} / {outcome.acked}", "", ""),
        ("refused sends", str(outcome.refused), "0", verdict(outcome.refused == 0)),
        ("deliveries expected", str(outcome.expected), "", ""),
        ("lost", str(outcome.lost), "0", verdict(outcome.lost == 0)),
        ("duplicated", str(outcome.duplicates), "0", verdict(outcome.duplicates == 0)),
        ("latency p50", ms(outcome.percentile(50)), "", ""),
        ("latency p95", ms(outcome.percentile(95)), "", ""),
        (
            "latency p99",
            ms(p99),
            f"<= {TARGET_P99_MS:.0f} ms",
            verdict(p99 is not None and p99 <= TARGET_P99_MS),
        ),
        ("latency max", ms(max(outcome.latencies_ms) if outcome.latencies_ms else None), "", ""),
    ]
    head = (
        f"Live messaging: {outcome.clients} clients, {outcome.rate:g} messages/s for "
        f"{outcome.duration:g} s, one ASGI process ({outcome.database}, {outcome.layer} layer)"
    )
    widths = [max(len(r[i]) for r in [("metric", "value", "target", ""), *rows]) for i in range(4)]
    lines = [head, ""]
    for row in [("metric", "value", "target", ""), *rows]:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    lines.append("")
    lines.append(f"overall: {verdict(outcome.passed)}")
    return "\n".join(lines)


# Preparing the database and the clients ------------------------------------------------------


def bench_env(args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_SETTINGS", "townsquare.settings"),
        TOWNSQUARE_VAR=str(args.var),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="0",
        DEBUG="0",
        LOG_LEVEL="ERROR",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
        env.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(32))
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def townsquare(argv: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "townsquare", *argv], env=env, check=True, cwd=ROOT)


def ensure_postgres_database(url: str) -> None:
    import urllib.parse

    import psycopg
    from psycopg import sql

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"Creating database {name}…")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(
    args: argparse.Namespace, env: dict[str, str]
) -> tuple[list[tuple[str, int]], dict[int, list[int]]]:
    """Migrates and seeds as needed; returns clients (session key, user id) and, per
    conversation, its participants' user ids."""
    if args.database_url:
        ensure_postgres_database(args.database_url)
    townsquare(["migrate", "--verbosity", "0"], env)
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.exceptions import ValidationError
    from django.db import connections
    from django.db.models import Q

    from townsquare.conversations import services
    from townsquare.conversations.models import Conversation, Participant
    from townsquare.fabric.models import Connection
    from townsquare.members.models import Role, User

    if not User.objects.exists():
        connections.close_all()
        log(f"Seeding {args.members} members…")
        townsquare(["seed", "--members", str(args.members), "--seed", str(SEED)], env)
    members = {
        u.pk: u
        for u in User.objects.filter(role=Role.MEMBER, is_active=True, admitted_at__isnull=False)
    }
    # Direct conversations between connected members, each member in at most one pair:
    # earlier runs' conversations are reused, so a rerun measures the same shape.
    chosen: dict[int, int] = {}
    rng = random.Random(SEED)
    ties = list(
        Connection.objects.filter(member_a_id__in=members, member_b_id__in=members)
        .values_list("member_a_id", "member_b_id")
        .order_by("id")
    )
    rng.shuffle(ties)
    conversations: dict[int, list[int]] = {}
    for a, b in ties:
        if len(chosen) + 2 > args.clients:
            break
        if a in chosen or b in chosen:
            continue
        try:
            conversation, _ = services.start_direct_conversation(members[a], members[b])
        except (ValidationError, services.RateLimited, PermissionError):
            continue
        chosen[a] = chosen[b] = conversation.pk
        conversations[conversation.pk] = [a, b]
    if len(chosen) < args.clients:
        raise SystemExit(
            f"Only {len(chosen)} members could be paired; seed more (--members) or ask for fewer clients."
        )
    stale = Participant.objects.filter(
        ~Q(conversation_id__in=conversations), user_id__in=chosen
    ).values_list("conversation_id", flat=True)
    if stale.exists():
        log("(these members also have other conversations; only the bench's are used)")
    clients = []
    for user_id in chosen:
        user = members[user_id]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "townsquare.members.auth.EmailBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        clients.append((session.session_key, user_id))
    assert Conversation.objects.filter(pk__in=conversations).count() == len(conversations)
    connections.close_all()
    return clients, conversations


# The server -----------------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.port = port
        self.log_path = VAR / "live-server.log"
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "townsquare", "serve", "--asgi", "--host", "127.0.0.1",
             "--port", str(port)],
            env=env, cwd=ROOT, stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"The server exited; see {self.log_path}")
            try:
                url = f"http://127.0.0.1:{self.port}/healthz"
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"The server did not answer /healthz in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()


# The load ------------------------------------------------------------------------------------


class Client:
    """One websocket client: a signed-in member with one conversation."""

    def __init__(self, session_key: str, user_id: int, conversation_id: int) -> None:
        self.session_key = session_key
        self.user_id = user_id
        self.conversation_id = conversation_id
        self.ws: Any = None
        self.seen: set[int] = set()


async def run_load(
    port: int,
    clients: list[Client],
    conversations: dict[int, list[int]],
    rate: float,
    duration: float,
    outcome: Outcome,
    drain: float = 3.0,
) -> None:
    from websockets.asyncio.client import connect

    sent_at: dict[int, int] = {}  # seq → perf_counter_ns at send
    acked: dict[str, int] = {}
    loop_deadline = time.monotonic() + duration + drain + 120

    async def open_client(client: Client, gate: asyncio.Semaphore) -> None:
        async with gate:
            client.ws = await connect(
                f"ws://127.0.0.1:{port}/ws/live/",
                origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
                additional_headers={"Cookie": f"sessionid={client.session_key}"},
                compression=None,
                proxy=None,
                open_timeout=30,
                max_queue=None,
            )
            hello = json.loads(await asyncio.wait_for(client.ws.recv(), 30))
            if hello.get("type") != "hello":
                raise SystemExit(f"Client {client.user_id} was refused: {hello}")

    async def read(client: Client) -> None:
        try:
            async for raw in client.ws:
                now = time.perf_counter_ns()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message.new" and frame["sender"] != client.user_id:
                    match = TOKEN.search(frame["body_html"])
                    if match is None:
                        continue
                    seq, sent_ns = int(match.group(1)), int(match.group(2))
                    if seq in client.seen:
                        outcome.duplicates += 1
                        continue
                    client.seen.add(seq)
                    outcome.delivered += 1
                    outcome.latencies_ms.append((now - sent_ns) / 1e6)
                elif kind == "ack":
                    acked[frame["client_id"]] = frame["id"]
                elif kind == "error":
                    outcome.refused += 1
                    log(f"refused: {frame}")
        except Exception as error:  # a dropped socket shows up as lost deliveries
            log(f"client {client.user_id}: {error!r}")

    log(f"Connecting {len(clients)} clients…")
    started = time.monotonic()
    gate = asyncio.Semaphore(50)
    await asyncio.gather(*(open_client(c, gate) for c in clients))
    log(f"  connected in {time.monotonic() - started:.1f} s")
    readers = [asyncio.create_task(read(c)) for c in clients]

    total = int(rate * duration)
    rng = random.Random(SEED)
    log(f"Sending {total} messages at {rate:g}/s…")
    begin = time.perf_counter()
    for seq in range(total):
        if time.monotonic() > loop_deadline:
            break
        delay = begin + seq / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        client = rng.choice(clients)
        sent_ns = time.perf_counter_ns()
        sent_at[seq] = sent_ns
        body = f"bench {seq} {sent_ns}"
        await client.ws.send(
            json.dumps({"type": "send", "conversation": client.conversation_id,
                        "body": body, "client_id": str(seq)})
        )  # fmt: skip
        outcome.sent += 1
        outcome.expected += len(conversations[client.conversation_id]) - 1
    # Drain: wait until everything expected arrived, or the drain time is up.
    drain_until = time.monotonic() + drain
    while time.monotonic() < drain_until and (
        outcome.delivered < outcome.expected or len(acked) + outcome.refused < outcome.sent
    ):
        await asyncio.sleep(0.05)
    outcome.acked = len(acked)
    for c in clients:
        await c.ws.close()
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)


# Main -----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL URL (default: SQLite in --var)"
    )
    parser.add_argument("--redis-url", default="", help="Use the Redis channel layer")
    parser.add_argument("--var", type=Path, default=None, help="Directory for SQLite and secrets")
    parser.add_argument("--members", type=int, default=None, help="Members to seed when empty")
    parser.add_argument("--clients", type=int, default=None, help="Websocket clients (500)")
    parser.add_argument("--rate", type=float, default=None, help="Messages/s in total (200)")
    parser.add_argument("--duration", type=float, default=None, help="Seconds of sending (10)")
    parser.add_argument("--quick", action="store_true", help="20 clients, 20/s for 3 s")
    parser.add_argument("--port", type=int, default=0, help="Server port (default: a free one)")
    args = parser.parse_args(argv)
    defaults = (20, 20.0, 3.0, 200) if args.quick else (500, 200.0, 10.0, 1500)
    for name, value in zip(("clients", "rate", "duration", "members"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.clients < 2 or args.clients % 2:
        parser.error("--clients must be an even number ≥ 2 (clients are paired)")
    if args.var is None:
        args.var = VAR / ("live-quick" if args.quick else "live")
    args.var = args.var.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    VAR.mkdir(parents=True, exist_ok=True)
    args.var.mkdir(parents=True, exist_ok=True)
    env = bench_env(args)
    pairs, conversations = prepare(args, env)
    by_user = {pk: conv for conv, people in conversations.items() for pk in people}
    clients = [Client(key, user_id, by_user[user_id]) for key, user_id in pairs]
    outcome = Outcome(
        clients=len(clients),
        conversations=len(conversations),
        rate=args.rate,
        duration=args.duration,
        database="PostgreSQL" if args.database_url else "SQLite",
        layer="Redis" if args.redis_url else "in-memory",
    )
    port = args.port or free_port()
    server = Server(env, port)
    try:
        server.wait_ready()
        asyncio.run(run_load(port, clients, conversations, args.rate, args.duration, outcome))
    finally:
        server.stop()
    table = format_table(outcome)
    print(table)
    record = {
        **{k: v for k, v in asdict(outcome).items() if k != "latencies_ms"},
        "lost": outcome.lost,
        "p50_ms": outcome.percentile(50),
        "p95_ms": outcome.percentile(95),
        "p99_ms": outcome.percentile(99),
        "passed": outcome.passed,
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    (VAR / ("live-quick.json" if args.quick else "live.json")).write_text(
        json.dumps(record, indent=2)
    )
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    sys.exit(main())
