"""Load test of answer submission: `POST /api/v1/answers/` under 200 concurrent clients.

Run from the project root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    uv run python bench/submit_load.py

It creates a fresh database `yhdyspinta_bench` (dropping an old one), migrates it, loads the
registry, creates the municipal survey, an open identified per-person wave and enough
invitations; starts gunicorn with production settings (DEBUG=0) on a free local port; waits for
/healthz; warms the workers up; and runs with 200 concurrent clients (asyncio + httpx):

* respondents: open loop, each client a respondent submitting at random (Poisson) times so that
  all of them together send `--rates` submissions a second (one run per rate, default 10,
  20, 50 and 100/s), for `--respondents-seconds` (40) each;
* saturation: closed loop, each client submitting again as soon as its answer arrives, for
  `--saturation-seconds` (30), which gives the highest throughput.

Latency is measured per request from sending to the full response. Afterwards SQL checks that
the stored responses, used invitations and answer rows match the 201s exactly (nothing lost,
nothing doubled, no invitation used twice). Gunicorn is stopped and the database dropped at the
end, and the results replace the section between `<!-- submit_load:start -->` and
`<!-- submit_load:end -->` in docs/benchmarks.md (`--section NAME` for other markers,
`--no-docs` to leave it alone, `--json FILE` to keep the raw numbers). It exits 1 when the
database does not match the 201s.

Options: `--workers 4` (gunicorn sync workers), `--conn-max-age 60` (CONN_MAX_AGE),
`--throttle-rate 1000000/minute` (ANSWER_THROTTLE_RATE; all load comes from one address),
`--clients 200`, `--scenarios respondents,saturation`, and
`--wsgi MODULE:APP --section NAME` to measure a variant of the app (e.g. a module that
patches a proposed change in memory) into a section of its own, and `--db-setting
NAME=VALUE` for PostgreSQL settings of the bench database (experiments only).
"""

# The subprocesses are fixed commands built here, git from PATH (S603, S607); the randomness
# only shapes the load (S311).
# ruff: noqa: S603, S607, S311

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
DEFAULT_WSGI = "yhdyspinta.wsgi:application"
DB_NAME = "yhdyspinta_bench"
PG = "postgres://postgres@127.0.0.1:5432"
WAVE_NAME = "bench"
TARGET_P95_MS = 50.0

# The nine rating items of the municipal template (importing the package needs no Django set-up).
sys.path.insert(0, str(ROOT))
from yhdyspinta.surveys.builtin import REALISATION_ITEM_KEYS as MATRIX_ITEMS  # noqa: E402

INTERFACES = (
    "strategic_management",
    "service_network_land_use",
    "health_wellbeing_promotion",
    "housing",
    "children_youth_families",
    "employment",
    "student_welfare",
    "preparedness_security",
    "older_people",
    "immigration_integration",
)
SENTENCES = (
    "Kuukausittaiset tapaamiset hyvinvointialueen kanssa toimivat hyvin.",
    "Yhteyshenkilöt tunnetaan ja asiat etenevät sujuvasti.",
    "Tiedonkulku päätöksistä voisi olla nopeampaa ja avoimempaa.",
    "Asukkaiden osallistumiseen tarvitaan yhteisiä käytäntöjä.",
    "Työnjako ennaltaehkäisevässä työssä on vielä epäselvä.",
)


def answers(rng: random.Random) -> dict:
    """A realistic whole answer to the municipal template (every question answered)."""

    def rating() -> int | str:
        return "cant_say" if rng.random() < 0.08 else rng.randint(1, 5)

    body: dict = {"position": "manager", "headline_rating": rng.randint(1, 5)}
    body.update({key: rating() for key in MATRIX_ITEMS})
    body["division_of_work_clarity"] = rating()
    body["what_works"] = rng.choice(SENTENCES)
    body["needs_improvement"] = rng.choice(SENTENCES)
    body["challenging_interfaces"] = rng.sample(INTERFACES, rng.randint(1, 3))
    return body


# -- environment ---------------------------------------------------------------------------------


def app_env(args: argparse.Namespace) -> dict[str, str]:
    """Production settings (DEBUG off) as the app reads them, over plain http on localhost."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="yhdyspinta.settings",
        DATABASE_URL=f"{PG}/{DB_NAME}",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE=str(args.conn_max_age),
        ANSWER_THROTTLE_RATE=args.throttle_rate,
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore",
    )
    return env


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(count: int, out: Path) -> None:
    """(Runs in a child process with the app's environment.) Survey, wave, invitations, tokens."""
    from datetime import timedelta

    import django

    django.setup()
    from django.utils import timezone

    from yhdyspinta.registry.models import Organisation
    from yhdyspinta.surveys import services
    from yhdyspinta.surveys.builtin import load_template
    from yhdyspinta.surveys.definition import build_survey
    from yhdyspinta.surveys.models import Invitation, Wave

    survey = build_survey(load_template("municipal_leadership"))
    now = timezone.now()
    wave = Wave.objects.create(
        survey=survey,
        name=WAVE_NAME,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        answer_mode="per_person",
        # Identified, so that each response keeps its invitation's address and the check at the
        # end can prove that no invitation gave two responses.
        privacy=Wave.Privacy.IDENTIFIED,
    )
    municipalities = list(Organisation.objects.filter(kind="municipality").order_by("pk"))
    if not municipalities:
        raise SystemExit("No municipalities in the registry: did load_registry run?")
    with out.open("w") as tokens:
        for start in range(0, count, 5000):
            batch = [
                services._new_invitation(
                    wave=wave,
                    email=f"respondent{n}@bench.invalid",
                    name=f"Respondent {n}",
                    organisation=municipalities[n % len(municipalities)],
                    position="manager",
                )
                for n in range(start, min(start + 5000, count))
            ]
            Invitation.objects.bulk_create(batch)
            services._finish_tokens(batch)
            tokens.writelines(f"{invitation.token()}\n" for invitation in batch)
    print(f"wave {wave.pk}, {count} invitations, {len(municipalities)} municipalities")


# -- CPU accounting from /proc -------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    # utime + stime, plus cutime + cstime: the children it has reaped. PostgreSQL's postmaster
    # reaps the backends, so with CONN_MAX_AGE=0 (a backend per request) their CPU is counted.
    return int(fields[1]), sum(int(v) for v in fields[11:15]) / TICK


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def cpu_snapshot(gunicorn_pid: int) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers), PostgreSQL, this process, and
    the whole machine (busy and total)."""
    snap = {"gunicorn": 0.0, "postgres": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        stat = _proc_stat(pid)
        if stat is None:
            continue
        ppid, seconds = stat
        if pid == gunicorn_pid or ppid == gunicorn_pid:
            snap["gunicorn"] += seconds
        elif _comm(pid).startswith("postgres"):
            snap["postgres"] += seconds
    own = _proc_stat(os.getpid())
    snap["loadgen"] = own[1] if own else 0.0
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    snap["machine_total"] = sum(values[:8]) / TICK
    snap["machine_busy"] = (sum(values[:8]) - idle) / TICK
    return snap


def cpu_use(before: dict[str, float], after: dict[str, float], seconds: float) -> dict[str, float]:
    """Average use over the window in cores (1.0 = one core fully busy)."""
    names = ("gunicorn", "postgres", "loadgen")
    use = {k: round((after[k] - before[k]) / seconds, 2) for k in names}
    total = after["machine_total"] - before["machine_total"]
    use["other"] = round(
        (after["machine_busy"] - before["machine_busy"]) / seconds - sum(use.values()), 2
    )
    use["machine_busy_pct"] = round(
        100 * (after["machine_busy"] - before["machine_busy"]) / total if total else 0.0, 1
    )
    return use


# -- load ----------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    description: str
    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)  # perf_counter() at sending
    start_delays_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    created: int = 0
    answer_rows: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    ran_out_of_tokens: bool = False

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def errors(self) -> int:
        return self.requests - self.created

    def percentile(self, p: float, values: list[float] | None = None) -> float:
        """Nearest-rank percentile."""
        ordered = sorted(self.latencies_ms if values is None else values)
        if not ordered:
            return float("nan")
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]

    def slowest(self, count: int = 25) -> list[dict]:
        """The slowest requests with when they were sent (seconds after the first), to see
        whether slow ones come alone or in bursts."""
        if not self.sent_at:
            return []
        first = min(self.sent_at)
        pairs = sorted(zip(self.latencies_ms, self.sent_at, strict=True), reverse=True)[:count]
        return [
            {"sent_s": round(at - first, 3), "monotonic": round(at, 3), "ms": round(ms, 1)}
            for ms, at in pairs
        ]

    def summary(self) -> dict:
        return {
            "scenario": self.name,
            "description": self.description,
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "created_201": self.created,
            "errors": self.errors,
            "statuses": self.statuses,
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "max_ms": round(max(self.latencies_ms, default=float("nan")), 1),
            "throughput_rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "start_delay_p99_ms": round(self.percentile(99, self.start_delays_ms), 1)
            if self.start_delays_ms
            else None,
            "cpu_cores": self.cpu,
            "ran_out_of_tokens": self.ran_out_of_tokens,
        }


class Load:
    def __init__(self, base_url: str, tokens: list[str], clients: int, seed: int = 1):
        self.url = f"{base_url}/api/v1/answers/"
        self.tokens = tokens
        self.next_token = 0
        self.clients = clients
        self.rng = random.Random(seed)
        self.client: object = None

    def take_token(self) -> str | None:
        if self.next_token >= len(self.tokens):
            return None
        token = self.tokens[self.next_token]
        self.next_token += 1
        return token

    async def submit(self, result: Result | None) -> bool:
        """One submission with a fresh token; False when the tokens have run out."""
        import httpx

        token = self.take_token()
        if token is None:
            if result is not None:
                result.ran_out_of_tokens = True
            return False
        body = answers(self.rng)
        content = json.dumps({"token": token, "answers": body}).encode()
        started = time.perf_counter()
        try:
            response = await self.client.post(
                self.url, content=content, headers={"Content-Type": "application/json"}
            )
            status = str(response.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        elapsed = (time.perf_counter() - started) * 1000
        if result is not None:
            result.latencies_ms.append(elapsed)
            result.sent_at.append(started)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status == "201":
                result.created += 1
                # Answer rows the server should store: every key except "position".
                result.answer_rows += len(body) - 1
        return True

    async def warm_up(self, requests: int, concurrency: int) -> Result:
        result = Result("warm-up", "not reported", concurrency)
        remaining = iter(range(requests))

        async def worker() -> None:
            for _ in remaining:
                await self.submit(result)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return result

    async def open_loop(self, rate: float, seconds: float) -> Result:
        """Each client submits at Poisson-distributed times, rate/clients a second on average."""
        result = Result(
            f"respondents {rate:g}/s",
            f"open loop, {rate:g} submissions/s in total, Poisson arrivals",
            self.clients,
        )
        per_client = rate / self.clients
        loop = asyncio.get_running_loop()
        start = loop.time()
        end = start + seconds

        async def respondent(rng: random.Random) -> None:
            due = start + rng.expovariate(per_client)
            while due < end:
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                result.start_delays_ms.append(max(0.0, (loop.time() - due) * 1000))
                if not await self.submit(result):
                    return
                due += rng.expovariate(per_client)

        await asyncio.gather(*(respondent(random.Random(n)) for n in range(self.clients)))
        result.seconds = loop.time() - start
        return result

    async def closed_loop(self, seconds: float) -> Result:
        """Each client submits again as soon as its previous answer has arrived."""
        result = Result("saturation", "closed loop, back to back", self.clients)
        loop = asyncio.get_running_loop()
        start = loop.time()
        end = start + seconds

        async def client() -> None:
            while loop.time() < end:
                if not await self.submit(result):
                    return

        await asyncio.gather(*(client() for _ in range(self.clients)))
        result.seconds = loop.time() - start
        return result


async def run_load(
    args: argparse.Namespace, base_url: str, tokens: list[str], gunicorn_pid: int
) -> tuple[list[Result], Result]:
    import httpx

    load = Load(base_url, tokens, args.clients)
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    timeout = httpx.Timeout(60.0, pool=None)
    results = []
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        load.client = client
        # Enough for every worker to have imported everything before anything is measured.
        warm = await load.warm_up(requests=max(50, 20 * args.workers), concurrency=2 * args.workers)
        scenarios = []
        if "respondents" in args.scenarios:
            for rate in args.rates:
                scenarios.append(
                    (
                        f"respondents {rate:g}/s",
                        # Bind the rate now, not when the lambda runs.
                        lambda rate=rate: load.open_loop(rate, args.respondents_seconds),
                    )
                )
        if "saturation" in args.scenarios:
            scenarios.append(("saturation", lambda: load.closed_loop(args.saturation_seconds)))
        for name, scenario in scenarios:
            await asyncio.sleep(2)
            print(f"running {name} ...", flush=True)
            before = cpu_snapshot(gunicorn_pid)
            result = await scenario()
            result.cpu = cpu_use(before, cpu_snapshot(gunicorn_pid), result.seconds)
            results.append(result)
            print(json.dumps(result.summary()), flush=True)
    return results, warm


# -- checks --------------------------------------------------------------------------------------


def verify(results: list[Result], warm: Result) -> dict:
    """Compare what the database holds with the 201s the clients saw."""
    import psycopg

    created = warm.created + sum(r.created for r in results)
    answer_rows = warm.answer_rows + sum(r.answer_rows for r in results)
    with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
        (wave_id,) = conn.execute(
            "SELECT id FROM surveys_wave WHERE name = %s", [WAVE_NAME]
        ).fetchone()

        def one(sql: str) -> int:
            return conn.execute(sql, {"wave": wave_id}).fetchone()[0]

        checks = {
            "201 responses seen by the clients": created,
            "responses stored": one("SELECT count(*) FROM surveys_response WHERE wave_id=%(wave)s"),
            "invitations marked used": one(
                "SELECT count(*) FROM surveys_invitation WHERE wave_id=%(wave)s AND used"
            ),
            "answer rows expected": answer_rows,
            "answer rows stored": one(
                "SELECT count(*) FROM surveys_answer a JOIN surveys_response r"
                " ON r.id = a.response_id WHERE r.wave_id=%(wave)s"
            ),
            "invitations with more than one response": one(
                "SELECT count(*) FROM (SELECT respondent_email FROM surveys_response"
                " WHERE wave_id=%(wave)s GROUP BY respondent_email HAVING count(*) > 1) d"
            ),
            "responses matching no used invitation": one(
                "SELECT count(*) FROM surveys_response r WHERE r.wave_id=%(wave)s AND NOT EXISTS"
                " (SELECT 1 FROM surveys_invitation i WHERE i.wave_id=r.wave_id"
                " AND i.email=r.respondent_email AND i.used)"
            ),
        }
    ok = (
        checks["responses stored"] == created
        and checks["invitations marked used"] == created
        and checks["answer rows stored"] == answer_rows
        and checks["invitations with more than one response"] == 0
        and checks["responses matching no used invitation"] == 0
    )
    return {"ok": ok, **checks}


# -- report --------------------------------------------------------------------------------------


def app_version() -> str:
    """The commit the app runs at, with a digest of any uncommitted changes to it."""

    def git(*words: str) -> str:
        done = subprocess.run(
            ["git", *words], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    diff = git("diff", "HEAD", "--", "yhdyspinta")
    if not diff:
        return commit
    digest = hashlib.sha256(diff.encode()).hexdigest()[:8]
    return f"{commit} with uncommitted changes (diff {digest})"


def section(args: argparse.Namespace, results: list[Result], checks: dict, pg_version: str) -> str:
    rows = [
        "| scenario | clients | load | duration s | requests | errors (non-201) | p50 ms "
        "| p95 ms | p99 ms | max ms | throughput req/s | schedule lag p99 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r.summary()
        lag = "–" if s["start_delay_p99_ms"] is None else s["start_delay_p99_ms"]
        rows.append(
            f"| {r.name} | {r.clients} | {r.description} | {s['seconds']} | {s['requests']} "
            f"| {s['errors']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} | {s['max_ms']} "
            f"| {s['throughput_rps']} | {lag} |"
        )
    cpu = [
        "| scenario | gunicorn | PostgreSQL | load generator | other processes | machine busy |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        c = r.cpu
        cpu.append(
            f"| {r.name} | {c['gunicorn']} | {c['postgres']} | {c['loadgen']} | {c['other']} "
            f"| {c['machine_busy_pct']} % |"
        )
    notes = []
    by_name = {r.name: r.summary() for r in results}
    for name, s in by_name.items():
        if not name.startswith("respondents"):
            continue
        verdict = "meets" if s["p95_ms"] < TARGET_P95_MS else "misses"
        notes.append(
            f"- {name}: p95 {s['p95_ms']} ms {verdict} the target p95 < {TARGET_P95_MS:g} ms "
            f"at {s['throughput_rps']} req/s."
        )
    if "saturation" in by_name:
        s = by_name["saturation"]
        bound = 1000 * args.clients / s["throughput_rps"] if s["throughput_rps"] else 0
        notes.append(
            f"- saturation: {s['throughput_rps']} req/s at most. With {args.clients} clients "
            "always waiting, the mean latency is about clients / throughput (Little's law) = "
            f"{bound:.0f} ms, so this p95 measures queueing, not the service time."
        )
    for r in results:
        if r.ran_out_of_tokens:
            notes.append(f"- {r.name}: ran out of invitations; raise --invitations.")
    check_rows = ["| check | value |", "|---|---|"]
    check_rows += [f"| {k} | {v} |" for k, v in checks.items() if k != "ok"]
    verdict = "all consistent" if checks.get("ok") else "**MISMATCH**"
    statuses = {r.name: r.statuses for r in results}
    shown = list(args.argv)
    if "--json" in shown:  # where the raw numbers went does not change them
        at = shown.index("--json")
        del shown[at : at + 2]
    shown = [word for word in shown if not word.startswith("--json=")]
    command = " ".join(["uv run python bench/submit_load.py", *shown])
    heading = "### Answer submission (`bench/submit_load.py`)"
    if args.wsgi != DEFAULT_WSGI:
        heading += f" — what-if: `{args.wsgi}`"
    db_settings = f"PostgreSQL settings {', '.join(args.db_setting)}; " if args.db_setting else ""
    configuration = (
        f"Configuration: app at commit {args.app_version}; {os.cpu_count()} cores; "
        f"gunicorn {args.gunicorn_version} serving `{args.wsgi}`, {args.workers} sync workers "
        f"× {args.threads} thread(s); {pg_version}; {db_settings}DEBUG=0, "
        f"CONN_MAX_AGE={args.conn_max_age}, ANSWER_THROTTLE_RATE={args.throttle_rate} "
        "(local-memory cache, per worker); load generator: one asyncio process with httpx, "
        f"{args.clients} connections, on the same machine. Survey: the built-in municipal "
        "template, every question answered (14 answer rows per response)."
    )
    return "\n".join(
        [
            f"<!-- {args.section}:start -->",
            heading,
            "",
            f"Run on {date.today().isoformat()} with `{command}`. Generated by the script; "
            "do not edit between the markers.",
            "",
            configuration,
            "",
            *rows,
            "",
            "Schedule lag: how late an open-loop client sent a submission compared with its "
            "random schedule, because its previous one had not come back yet (or the load "
            "generator lagged). Every scheduled submission is still sent, so an overloaded run "
            "lasts longer than its nominal window.",
            "",
            "Status counts: " + json.dumps(statuses, sort_keys=True),
            "",
            "CPU used on average during each scenario, in cores (2 = the whole machine):",
            "",
            *cpu,
            "",
            f"Database after the run ({verdict}):",
            "",
            *check_rows,
            "",
            *notes,
            f"<!-- {args.section}:end -->",
        ]
    )


def write_docs(text: str, name: str) -> None:
    """Replace the section between this name's markers, or append it when there is none."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if start in current and end in current:
        head, rest = current.split(start, 1)
        tail = rest.split(end, 1)[1]
        updated = head + text + tail
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    DOCS.write_text(updated, encoding="utf-8")


# -- main ----------------------------------------------------------------------------------------


def wait_healthy(base_url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before it became healthy")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="CONN_MAX_AGE in seconds (60, as docs/operations.md recommends for production)",
    )
    parser.add_argument("--throttle-rate", default="1000000/minute")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--wsgi", default=DEFAULT_WSGI, help="the WSGI app gunicorn serves")
    parser.add_argument(
        "--section",
        default="submit_load",
        help="name of the <!-- NAME:start/end --> section of docs/benchmarks.md to replace",
    )
    parser.add_argument(
        "--rates", default="10,20,50,100", help="respondents: total submissions/s, comma-separated"
    )
    parser.add_argument("--respondents-seconds", type=float, default=40.0)
    parser.add_argument("--saturation-seconds", type=float, default=30.0)
    parser.add_argument(
        "--scenarios", default="respondents,saturation", help="comma-separated subset to run"
    )
    parser.add_argument("--invitations", type=int, default=0, help="0: enough for the run")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--db-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the bench database only, for experiments "
        "(e.g. synchronous_commit=off); repeatable",
    )
    parser.add_argument("--seed-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.argv = argv
    args.scenarios = set(args.scenarios.split(","))
    args.rates = [float(rate) for rate in args.rates.split(",") if rate]
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.seed_into:
        seed(args.invitations, args.seed_into)
        return 0

    import gunicorn
    import psycopg

    args.gunicorn_version = gunicorn.__version__
    env = app_env(args)
    python = sys.executable
    if not args.invitations:
        # Generous: the open loop's rate plus what 2 cores could possibly do when saturated.
        args.invitations = int(sum(args.rates) * args.respondents_seconds * 1.3) + int(
            1500 * args.saturation_seconds
        )
    work = Path(tempfile.mkdtemp(prefix="submit_load_"))
    token_file = work / "tokens.txt"
    log_file = work / "gunicorn.log"
    gunicorn_process = None
    try:
        print(f"database {DB_NAME}: create, migrate, load registry ...", flush=True)
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin_sql(f"CREATE DATABASE {DB_NAME}")
        for setting in args.db_setting:
            name, value = setting.split("=", 1)
            admin_sql(f"ALTER DATABASE {DB_NAME} SET {name} = '{value}'")
        run([python, "manage.py", "migrate", "--no-input"], env)
        run([python, "manage.py", "load_registry"], env)
        seed_cmd = [python, __file__, "--seed-into", str(token_file)]
        subprocess.run(
            [*seed_cmd, "--invitations", str(args.invitations)], cwd=ROOT, env=env, check=True
        )
        tokens = token_file.read_text().split()
        with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
            pg_version = "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]

        # The app as gunicorn loads it; others may be editing it while the benchmark runs.
        args.app_version = app_version()
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        with log_file.open("w") as log:
            gunicorn_process = subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    args.wsgi,
                    "--workers",
                    str(args.workers),
                    "--threads",
                    str(args.threads),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--backlog",
                    "2048",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_healthy(base_url, gunicorn_process)
        print(f"gunicorn on {base_url}, {args.workers} workers; {len(tokens)} tokens", flush=True)
        results, warm = asyncio.run(run_load(args, base_url, tokens, gunicorn_process.pid))
        checks = verify(results, warm)
        if app_version() != args.app_version:
            args.app_version += " (the app's files changed during the run)"
        print(json.dumps(checks, indent=2), flush=True)
        text = section(args, results, checks, pg_version)
        if not args.no_docs:
            write_docs(text, args.section)
            print(f"updated {DOCS.relative_to(ROOT)}")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "config": {
                            "workers": args.workers,
                            "threads": args.threads,
                            "conn_max_age": args.conn_max_age,
                            "throttle_rate": args.throttle_rate,
                            "clients": args.clients,
                            "rates": args.rates,
                            "wsgi": args.wsgi,
                        },
                        "results": [{**r.summary(), "slowest": r.slowest()} for r in results],
                        "checks": checks,
                    },
                    indent=2,
                )
            )
        return 0 if checks["ok"] else 1
    finally:
        if gunicorn_process is not None and gunicorn_process.poll() is None:
            gunicorn_process.send_signal(signal.SIGTERM)
            try:
                gunicorn_process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn_process.kill()
                gunicorn_process.wait()
        if log_file.exists():
            problems = [line for line in log_file.read_text().splitlines() if "Warning" not in line]
            if problems:
                print("gunicorn log:\n" + "\n".join(problems[-30:]), file=sys.stderr)
        if not args.keep_db:
            with contextlib.suppress(Exception):
                admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        for path in (token_file, log_file):
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            work.rmdir()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
