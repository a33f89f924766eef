"""Speed of the per-area results table over a million responses: the app's selector against
hand-written SQL.

Run from the project root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    uv run python bench/results_table.py

It creates a fresh database `yhdyspinta_bench_results` (dropping an old one), migrates it, loads
the registry, creates the municipal survey from its built-in template and one closed wave, and
then loads `--responses` (1 000 000) responses with PostgreSQL COPY through psycopg, not the
ORM. Each response comes from a real municipality, drawn in proportion to its population (so
the areas get responses roughly by population; Åland's municipalities, which belong to no
area, are left out), with the municipality's area, one of the survey's positions and a day in
the wave; each has an answer row for each of the nine matrix items, 1–5, or "can't say" with no
value for about 5 %. A fixed seed (`--seed`) makes the data the same on every run. The
tables' keys, unique constraints, foreign keys and indexes are dropped for the load and made
again after it from their own definitions (the script checks that the schema is the same as
before), then `VACUUM (ANALYZE)` brings the tables to the steady state of a live database, and
the app's own `yhdyspinta.surveys.tallies.rebuild(wave)` recounts the rating tallies that
results read (a bulk load bypasses the submission that keeps them).

It then times, in one process and on one connection, `--repeat` (7) times, alternating:

* app: `yhdyspinta.results.selectors.item_table(wave=wave, group_by="area")`, the whole call
  as a page or an export would make it when the results cache has no copy (the wave is
  fetched before the clock starts), with each of its queries timed too;
* raw SQL over the tallies: hand-written `GROUP BY`s over the same rows the app reads, the
  respondents per area and the count and sum of the values per area and item;
* raw SQL over the answers: the same figures from the answers and responses themselves, a
  `GROUP BY` of the substantive answers per area and item joined to their responses and a
  `GROUP BY` of the responses per area.

The first call of each, on a fresh connection, is reported apart as "first run". The script
checks that the app gives the same respondents per area and the same n, sum and mean for every
area and item as the SQL over the answers, and that the SQL over the tallies agrees with it
too (it exits 1 if not); the targets are the app's median under 1 s and within 2× of the raw
SQL over the same rows. It runs `EXPLAIN (ANALYZE, BUFFERS)` on the app's aggregating queries
and on the raw ones, and writes the results between `<!-- results_table:start -->` and
`<!-- results_table:end -->` in docs/benchmarks.md (`--section NAME` for other markers,
`--no-docs` to leave it alone, `--json FILE` to keep the raw numbers and the query plans).
The database is dropped at the end unless `--keep-db`.

For experiments: `--database NAME --reuse-db` times an existing database loaded by an earlier
`--keep-db` run (for example a copy made with `CREATE DATABASE x TEMPLATE
yhdyspinta_bench_results`, with an index added) without loading or dropping it, and
`--db-setting NAME=VALUE` sets a PostgreSQL setting for the benchmark's connections (e.g.
`max_parallel_workers_per_gather=0`).
"""

# The subprocesses are fixed commands built here, git from PATH (S603, S607); the randomness
# only shapes the test data (S311); the SQL is built from the models' own table and column
# names (S608).
# ruff: noqa: S603, S607, S311, S608

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
DB_NAME = "yhdyspinta_bench_results"
PG = "postgres://postgres@127.0.0.1:5432"
WAVE_NAME = "bench"
TEMPLATE = "municipal_leadership"
TARGET_SECONDS = 1.0
TARGET_RATIO = 2.0
CANT_SAY_SHARE = 0.05
CHUNK = 20_000  # responses per block written to COPY
# Shares of the positions, in the order of the survey's choices (more sector directors).
POSITION_WEIGHTS = (0.25, 0.30, 0.45)
# PostgreSQL settings that shape these queries, reported with the results.
PG_SETTINGS = (
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "max_parallel_workers_per_gather",
    "jit",
    "random_page_cost",
)

sys.path.insert(0, str(ROOT))


# -- environment ---------------------------------------------------------------------------------


def app_env(database: str) -> dict[str, str]:
    """Production settings (DEBUG off), as the app reads them."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="yhdyspinta.settings",
        DATABASE_URL=f"{PG}/{database}",
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
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


def memory_gb() -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int, children: bool = False) -> float:
    """CPU seconds of a process (or of the children it has reaped), 0 when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2 :].split()
    first = 13 if children else 11
    return (int(fields[first]) + int(fields[first + 1])) / TICK


def postmaster_pid() -> int | None:
    """PostgreSQL's main process: the parent of the backend serving the app's connection."""
    from django.db import connection

    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    with contextlib.suppress(OSError, ValueError, IndexError):
        text = Path(f"/proc/{backend}/stat").read_text()
        return int(text[text.rindex(")") + 2 :].split()[1])
    return None


def cpu_snapshot() -> dict[str, float]:
    """CPU seconds so far: this process, its PostgreSQL backend, the parallel workers the
    postmaster has reaped (and any other backend that ended meanwhile), and the machine."""
    from django.db import connection

    connection.ensure_connection()
    postmaster = postmaster_pid()
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return {
        "benchmark": _cpu_seconds(os.getpid())
        + _cpu_seconds(connection.connection.info.backend_pid)
        + (_cpu_seconds(postmaster, children=True) if postmaster else 0.0),
        "machine_busy": (sum(values[:8]) - idle) / TICK,
        "machine_total": sum(values[:8]) / TICK,
        "wall": time.perf_counter(),
    }


def cpu_use(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Average use over the window in cores: the benchmark's and everything else's."""
    seconds = after["wall"] - before["wall"]
    busy = after["machine_busy"] - before["machine_busy"]
    total = after["machine_total"] - before["machine_total"]
    ours = after["benchmark"] - before["benchmark"]
    return {
        "seconds": round(seconds, 1),
        "benchmark_cores": round(ours / seconds, 2),
        "other_cores": round(max(0.0, busy - ours) / seconds, 2),
        "machine_busy_pct": round(100 * busy / total, 1) if total else 0.0,
    }


def load_average() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "unknown"


# -- set-up --------------------------------------------------------------------------------------


def create_wave() -> int:
    """The municipal survey from its template and one wave that has closed; the wave's id."""
    from django.utils import timezone

    from yhdyspinta.surveys.builtin import load_template
    from yhdyspinta.surveys.definition import build_survey
    from yhdyspinta.surveys.models import Wave

    survey = build_survey(load_template(TEMPLATE))
    now = timezone.now().replace(microsecond=0)
    wave = Wave.objects.create(
        survey=survey,
        name=WAVE_NAME,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=18),
        answer_mode=survey.answer_mode,
    )
    return wave.pk


def item_weights(index: int) -> list[float]:
    """Shares of the values 1–5 for the index-th item: a bell around 2.8–3.6, so that the items'
    means differ a little."""
    centre = 2.8 + 0.1 * index
    weights = [math.exp(-((v - centre) ** 2) / 2.2) for v in range(1, 6)]
    total = sum(weights)
    return [w / total for w in weights]


def cumulative(weights: list[float] | tuple[float, ...]) -> list[float]:
    out, running = [], 0.0
    for w in weights:
        running += w
        out.append(running)
    return out


def columns(model, names: tuple[str, ...]) -> list[str]:
    """The database columns of the named fields, checked to be all the table's columns, so that
    a new NOT NULL column cannot be missed silently."""
    cols = [model._meta.get_field(name).column for name in names]
    every = {f.column for f in model._meta.concrete_fields}
    if set(cols) != every:
        raise SystemExit(
            f"{model._meta.db_table}: the loader writes {sorted(cols)}, the table has "
            f"{sorted(every)}; update bench/results_table.py"
        )
    return cols


def schema(conn, tables: list[str]) -> tuple[list, list]:
    """Keys, unique constraints and foreign keys of the tables (and those pointing to them),
    and their other indexes, with their definitions."""
    constraints = conn.execute(
        "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)"
        " FROM pg_constraint c WHERE c.contype IN ('p', 'u', 'f')"
        " AND (c.conrelid = ANY(%s::regclass[]) OR c.confrelid = ANY(%s::regclass[]))"
        " ORDER BY 1, 2",
        [tables, tables],
    ).fetchall()
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        " WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')) ORDER BY 1",
        [tables],
    ).fetchall()
    return constraints, indexes


def load(database: str, wave_pk: int, count: int, seed: int) -> dict:
    """COPY the responses and their answers, then recount the tallies; the steps' times."""
    import psycopg
    from psycopg import sql

    from yhdyspinta.registry.models import Organisation
    from yhdyspinta.results.selectors import matrix_items
    from yhdyspinta.surveys.models import Answer, Question, Response, Wave

    wave = Wave.objects.select_related("survey").get(pk=wave_pk)
    items = [q.pk for q in matrix_items(wave)]
    position_question = wave.survey.questions.get(type=Question.Type.POSITION)
    positions = [c.value for c in position_question.choices.order_by("order", "pk")]
    if len(positions) != len(POSITION_WEIGHTS):
        raise SystemExit(f"expected {len(POSITION_WEIGHTS)} positions, found {positions}")
    municipalities = list(
        Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY, area__isnull=False, population__gt=0
        )
        .active()
        .order_by("pk")
        .values_list("pk", "area_id", "population")
    )
    if not municipalities:
        raise SystemExit("No municipalities in the registry: did load_registry run?")
    first_day = wave.opens_at.date()
    days = [
        (first_day + timedelta(days=d)).isoformat()
        for d in range((wave.closes_at.date() - first_day).days)
    ]

    response_table = Response._meta.db_table
    answer_table = Answer._meta.db_table
    response_cols = columns(
        Response,
        (
            "id",
            "wave",
            "organisation",
            "area",
            "position",
            "submitted_on",
            "respondent_email",
            "respondent_name",
        ),
    )
    answer_cols = columns(
        Answer,
        (
            "id",
            "response",
            "question",
            "scale_value",
            "cant_say",
            "number",
            "text",
            "choices",
            "other_text",
        ),
    )
    # In COPY's text format: scale_value and cant_say of an answer.
    outcomes = ["1\tf", "2\tf", "3\tf", "4\tf", "5\tf", "\\N\tt"]
    item_cum = [
        [*[(1 - CANT_SAY_SHARE) * c for c in cumulative(item_weights(i))], 1.0]
        for i in range(len(items))
    ]
    org_rows = [f"{wave_pk}\t{pk}\t{area}\t" for pk, area, _ in municipalities]
    org_cum = cumulative([population for _, _, population in municipalities])
    position_cum = cumulative(POSITION_WEIGHTS)
    response_rng = random.Random(seed)
    answer_rng = random.Random(seed + 1)
    times: dict[str, float] = {}

    def copy_into(cur, table: str, cols: list[str]):
        return cur.copy(
            sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, cols))
            )
        )

    tables = [response_table, answer_table]
    with psycopg.connect(f"{PG}/{database}") as conn:
        # Only for building the indexes again faster; the indexes are the same.
        conn.execute("SET maintenance_work_mem = '512MB'")
        before = schema(conn, tables)
        constraints, indexes = before
        # Foreign keys first, then the keys they rest on, then the plain indexes.
        for table, name, _, _ in sorted(constraints, key=lambda c: c[2] != "f"):
            conn.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.SQL(table), sql.Identifier(name)
                )
            )
        for name, _ in indexes:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(name)))

        started = time.perf_counter()
        with conn.cursor() as cur, copy_into(cur, response_table, response_cols) as copy:
            for start in range(0, count, CHUNK):
                n = min(CHUNK, count - start)
                orgs = response_rng.choices(org_rows, cum_weights=org_cum, k=n)
                roles = response_rng.choices(positions, cum_weights=position_cum, k=n)
                on = response_rng.choices(days, k=n)
                copy.write(
                    "".join(
                        f"{start + j + 1}\t{orgs[j]}{roles[j]}\t{on[j]}\t\t\n" for j in range(n)
                    )
                )
        times["copy_responses_s"] = time.perf_counter() - started

        started = time.perf_counter()
        per = len(items)
        with conn.cursor() as cur, copy_into(cur, answer_table, answer_cols) as copy:
            for start in range(0, count, CHUNK):
                n = min(CHUNK, count - start)
                values = [
                    answer_rng.choices(outcomes, cum_weights=item_cum[i], k=n) for i in range(per)
                ]
                lines = []
                for j in range(n):
                    response_id = start + j + 1
                    first_id = (start + j) * per + 1
                    lines.extend(
                        f"{first_id + i}\t{response_id}\t{items[i]}\t{values[i][j]}\t\\N\t\t[]\t\n"
                        for i in range(per)
                    )
                copy.write("".join(lines))
        times["copy_answers_s"] = time.perf_counter() - started

        started = time.perf_counter()
        for _, definition in indexes:
            conn.execute(definition)
        for table, name, _, definition in sorted(constraints, key=lambda c: c[2] == "f"):
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    sql.SQL(table), sql.Identifier(name), sql.SQL(definition)
                )
            )
        for table, rows in ((response_table, count), (answer_table, count * per)):
            conn.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, max(rows, 1)]
            )
        after = schema(conn, tables)
        if after != before:
            raise SystemExit(f"schema differs after the load:\n{before}\n{after}")
        conn.commit()
        times["constraints_indexes_s"] = time.perf_counter() - started

    started = time.perf_counter()
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        for table in tables:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    times["vacuum_analyze_s"] = time.perf_counter() - started

    # The app's rating tallies, which results read: a bulk load has to recount them, with the
    # app's own code (as manage.py rebuild_tallies does).
    from yhdyspinta.surveys import tallies
    from yhdyspinta.surveys.models import Tally

    started = time.perf_counter()
    tallies.rebuild(wave)
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(Tally._meta.db_table)))
    times["tallies_s"] = time.perf_counter() - started
    times["total_s"] = sum(times.values())
    return {
        "times": {k: round(v, 1) for k, v in times.items()},
        "municipalities": len(municipalities),
        "constraints_rebuilt": len(constraints),
        "indexes_rebuilt": len(indexes),
    }


def data_shape(wave_pk: int) -> dict:
    from django.db import connection

    from yhdyspinta.surveys.models import Answer, Response, Tally

    r, a, t = Response._meta.db_table, Answer._meta.db_table, Tally._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT count(*), count(DISTINCT area_id), count(DISTINCT organisation_id)"
            f" FROM {r} WHERE wave_id = %s",
            [wave_pk],
        )
        responses, areas, organisations = cur.fetchone()
        cur.execute(
            f"SELECT count(*), count(a.scale_value), count(*) FILTER (WHERE a.cant_say)"
            f" FROM {a} a JOIN {r} r ON r.id = a.response_id WHERE r.wave_id = %s",
            [wave_pk],
        )
        answers, substantive, cant_say = cur.fetchone()
        cur.execute(f"SELECT count(*) FROM {t} WHERE wave_id = %s", [wave_pk])
        tally_rows = cur.fetchone()[0]
        cur.execute(
            "SELECT relname, pg_total_relation_size(oid), pg_relation_size(oid) FROM pg_class"
            " WHERE relname = ANY(%s)",
            [[r, a, t]],
        )
        sizes = {
            name: {"total_mb": round(total / 2**20, 1), "table_mb": round(heap / 2**20, 1)}
            for name, total, heap in cur.fetchall()
        }
    return {
        "responses": responses,
        "areas": areas,
        "organisations": organisations,
        "answers": answers,
        "substantive": substantive,
        "cant_say": cant_say,
        "tallies": tally_rows,
        "sizes": sizes,
    }


# -- measurement ---------------------------------------------------------------------------------


class Recorder:
    """An execute wrapper that keeps each query's SQL, parameters and time."""

    def __init__(self):
        self.queries: list[dict] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append({"sql": sql, "params": params, "s": time.perf_counter() - started})


def run_app(wave_pk: int) -> tuple[float, object, list[dict]]:
    """One call of the app's selector, with the wave fetched before the clock starts."""
    from django.db import connection

    from yhdyspinta.results.selectors import item_table
    from yhdyspinta.surveys.models import Wave

    wave = Wave.objects.get(pk=wave_pk)
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        started = time.perf_counter()
        table = item_table(wave=wave, group_by="area")
        elapsed = time.perf_counter() - started
    return elapsed, table, recorder.queries


def raw_queries(wave_pk: int, items: list) -> dict[str, list[tuple[str, list]]]:
    """The hand-written SQL for the same figures, each as (respondents per area, count and sum
    of the values per area and item): over the tallies that the app reads, and over the
    answers and responses themselves."""
    from yhdyspinta.surveys.models import Answer, Response, Tally

    r, a, t = Response._meta.db_table, Answer._meta.db_table, Tally._meta.db_table
    return {
        "tallies": [
            (
                f"SELECT area_code, sum(n) FROM {t} WHERE wave_id = %s AND question_key = ''"
                f" GROUP BY area_code",
                [wave_pk],
            ),
            (
                f"SELECT area_code, question_key, sum(n), sum(n * value) FROM {t}"
                f" WHERE wave_id = %s AND question_key = ANY(%s) AND value >= 1"
                f" GROUP BY area_code, question_key",
                [wave_pk, [item.key for item in items]],
            ),
        ],
        "answers": [
            (
                f"SELECT r.area_id, count(*) FROM {r} r WHERE r.wave_id = %s GROUP BY r.area_id",
                [wave_pk],
            ),
            (
                f"SELECT r.area_id, a.question_id, count(*), sum(a.scale_value)"
                f" FROM {a} a JOIN {r} r ON r.id = a.response_id"
                f" WHERE r.wave_id = %s AND a.question_id = ANY(%s) AND a.scale_value IS NOT NULL"
                f" GROUP BY r.area_id, a.question_id",
                [wave_pk, [item.pk for item in items]],
            ),
        ],
    }


def run_raw(queries: list[tuple[str, list]]) -> tuple[float, list[list], list[float]]:
    """The queries one after the other on the app's connection: total time, rows, times."""
    from django.db import connection

    rows, times = [], []
    started = time.perf_counter()
    with connection.cursor() as cur:
        for sql, params in queries:
            query_started = time.perf_counter()
            cur.execute(sql, params)
            rows.append(cur.fetchall())
            times.append(time.perf_counter() - query_started)
    return time.perf_counter() - started, rows, times


def figures(rows: list[list], codes: dict | None = None, keys: dict | None = None):
    """({area code: respondents}, {(area code, item key): (n, sum)}) from a raw result; the
    query over the answers gives ids, which `codes` and `keys` translate."""
    codes, keys = codes or {}, keys or {}
    sizes = {codes.get(area, area): n for area, n in rows[0]}
    sums = {
        (codes.get(area, area), keys.get(item, item)): (n, total)
        for area, item, n, total in rows[1]
    }
    return sizes, sums


def compare(table, sizes: dict, sums: dict) -> list[str]:
    """What differs between the app's table and raw figures (n, sum and mean of every cell)."""
    app = {g.code: g for g in table.groups}
    problems = []
    if set(sizes) != set(app):
        problems.append(f"areas differ: raw {sorted(map(str, sizes))}, app {sorted(app)}")
    for code, n in sizes.items():
        group = app.get(code)
        if group is None:
            continue
        if group.n != n:
            problems.append(f"area {code}: app n {group.n}, raw {n}")
        for item in table.items:
            cell = group.cells[item.key]
            raw_n, raw_total = sums.get((code, item.key), (0, 0))
            raw_mean = raw_total / raw_n if raw_n else None
            app_mean = cell.total / cell.n if cell.n else None
            if (cell.n, cell.total, app_mean) != (raw_n, raw_total, raw_mean):
                problems.append(
                    f"area {code} item {item.key}: app n={cell.n} sum={cell.total},"
                    f" raw n={raw_n} sum={raw_total}"
                )
    if table.all.n != sum(sizes.values()):
        problems.append(f"all: app n {table.all.n}, raw {sum(sizes.values())}")
    return problems


def check(table, by_answers: tuple[dict, dict], by_tallies: tuple[dict, dict]) -> dict:
    """The app against the answers themselves, and the tallies' SQL against the answers'."""
    problems = compare(table, *by_answers)
    if by_tallies != by_answers:
        problems.append("the raw SQL over the tallies and over the answers give different figures")
    return {
        "ok": not problems,
        "areas": len(by_answers[0]),
        "cells": len(table.groups) * len(table.items),
        "suppressed_cells": sum(c.suppressed for g in table.groups for c in g.cells.values()),
        "problems": problems[:20],
    }


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


def render(sql: str, params) -> str:
    """The statement with its parameters in place, for reading (and pasting into psql)."""
    import psycopg
    from django.db import connection

    connection.ensure_connection()
    return psycopg.ClientCursor(connection.connection).mogrify(sql, params)


def stats(values: list[float]) -> dict:
    return {
        "median_s": round(statistics.median(values), 5),
        "min_s": round(min(values), 5),
        "max_s": round(max(values), 5),
        "runs_s": [round(v, 5) for v in values],
    }


def measure(wave_pk: int, repeat: int) -> dict:
    from django.db import connection

    from yhdyspinta.registry.models import Organisation
    from yhdyspinta.results.selectors import matrix_items
    from yhdyspinta.surveys.models import Wave

    items = matrix_items(Wave.objects.get(pk=wave_pk))
    raw = raw_queries(wave_pk, items)
    codes = dict(Organisation.objects.areas().values_list("pk", "code"))
    keys = {item.pk: item.key for item in items}
    load_before = load_average()

    # First runs, each on a fresh connection (the data is in the OS's page cache, not on disk:
    # the load has just written it), in the order app, raw over the tallies, raw over the
    # answers.
    connection.close()
    app_first, table, queries = run_app(wave_pk)
    connection.close()
    tallies_first, rows, _ = run_raw(raw["tallies"])
    by_tallies = figures(rows)
    connection.close()
    answers_first, rows, answer_times = run_raw(raw["answers"])
    by_answers = figures(rows, codes, keys)
    result = check(table, by_answers, by_tallies)
    first = {
        "app_s": app_first,
        "app_sql_s": sum(q["s"] for q in queries),
        "app_slowest_query_s": max(q["s"] for q in queries),
        "raw_tallies_s": tallies_first,
        "raw_answers_s": answers_first,
        "raw_answers_sums_s": answer_times[1],
    }

    runs: dict[str, list[float]] = {name: [] for name in first}
    query_counts = []
    cpu_before = cpu_snapshot()
    for _ in range(repeat):
        elapsed, table, queries = run_app(wave_pk)
        runs["app_s"].append(elapsed)
        runs["app_sql_s"].append(sum(q["s"] for q in queries))
        runs["app_slowest_query_s"].append(max(q["s"] for q in queries))
        query_counts.append(len(queries))
        elapsed, rows, _ = run_raw(raw["tallies"])
        runs["raw_tallies_s"].append(elapsed)
        by_tallies = figures(rows)
        elapsed, rows, answer_times = run_raw(raw["answers"])
        runs["raw_answers_s"].append(elapsed)
        runs["raw_answers_sums_s"].append(answer_times[1])
        again = check(table, figures(rows, codes, keys), by_tallies)
        if not again["ok"]:
            result = again
    cpu = cpu_use(cpu_before, cpu_snapshot())
    load_after = load_average()

    # The plans, after the timings so that EXPLAIN's own cost is not in them.
    _, _, queries = run_app(wave_pk)
    plans = {
        "app": [
            {
                "sql": render(q["sql"], q["params"]),
                "s": round(q["s"], 5),
                "plan": explain(q["sql"], q["params"]) if "GROUP BY" in q["sql"] else None,
            }
            for q in queries
        ],
        **{
            f"raw_{kind}": [
                {"sql": render(sql, params), "plan": explain(sql, params)}
                for sql, params in queries
            ]
            for kind, queries in raw.items()
        },
    }
    medians = {name: statistics.median(values) for name, values in runs.items()}
    ratio = medians["app_s"] / medians["raw_tallies_s"]
    return {
        "first_run": {name: round(value, 5) for name, value in first.items()},
        **{name.removesuffix("_s"): stats(values) for name, values in runs.items()},
        "app_queries_per_call": max(query_counts),
        "ratio_app_raw_tallies": round(ratio, 2),
        "ratio_app_raw_answers": round(medians["app_s"] / medians["raw_answers_s"], 4),
        "targets": {
            "app_under_1s": medians["app_s"] < TARGET_SECONDS,
            "app_within_2x_raw": ratio <= TARGET_RATIO,
        },
        "check": result,
        "plans": plans,
        "load_average": {"before": load_before, "after": load_after},
        "cpu": cpu,
    }


# -- report --------------------------------------------------------------------------------------


def num(value: float) -> str:
    """A number with its thousands apart, as the docs write them (1 000 000)."""
    return f"{value:,.0f}".replace(",", " ")


def ms(seconds: float) -> str:
    value = seconds * 1000
    if value < 10:
        return f"{value:.2f}"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def section(args: argparse.Namespace, info: dict) -> str:
    m, shape, loaded = info["measure"], info["data"], info.get("load")
    shown = list(args.argv)
    if "--json" in shown:  # where the raw numbers went does not change them
        at = shown.index("--json")
        del shown[at : at + 2]
    shown = [word for word in shown if not word.startswith("--json=")]
    command = " ".join(["uv run python bench/results_table.py", *shown])
    pg = info["postgres"]
    settings = ", ".join(f"{k}={v}" for k, v in pg["settings"].items())
    extra = f" Settings for this run: {', '.join(args.db_setting)}." if args.db_setting else ""
    memory = f", {info['memory_gb']} GB of memory" if info["memory_gb"] else ""
    size_text = "; ".join(
        f"`{name}` {s['table_mb']:g} MB ({s['total_mb']:g} MB with indexes)"
        for name, s in sorted(shape["sizes"].items())
    )
    configuration = (
        f"Configuration: app at commit {info['app_version']}; {info['cores']} cores{memory}; "
        f"{pg['version']}, {settings}.{extra} Data: {num(shape['responses'])} responses from "
        f"{shape['organisations']} municipalities in {shape['areas']} areas, "
        f"{num(shape['answers'])} answer rows ({num(shape['substantive'])} with a value, "
        f"{num(shape['cant_say'])} can't say), {num(shape['tallies'])} tally rows; "
        f"{size_text}."
    )
    lines = [
        f"<!-- {args.section}:start -->",
        "### Per-area results table (`bench/results_table.py`)",
        "",
        f"Run on {date.today().isoformat()} with `{command}`. Generated by the script; "
        "do not edit between the markers.",
        "",
        configuration,
        "",
    ]
    if loaded:
        t = loaded["times"]
        rows = shape["responses"] + shape["answers"]
        copy_s = t["copy_responses_s"] + t["copy_answers_s"]
        lines += [
            "Load (COPY through psycopg, keys and indexes made after it):",
            "",
            "| step | seconds |",
            "|---|---|",
            f"| COPY {num(shape['responses'])} responses | {t['copy_responses_s']} |",
            f"| COPY {num(shape['answers'])} answers ({num(rows / copy_s)} rows/s) "
            f"| {t['copy_answers_s']} |",
            f"| {loaded['constraints_rebuilt']} keys and constraints, "
            f"{loaded['indexes_rebuilt']} indexes | {t['constraints_indexes_s']} |",
            f"| VACUUM (ANALYZE) | {t['vacuum_analyze_s']} |",
            f"| recount the tallies with the app's `tallies.rebuild(wave)` | {t['tallies_s']} |",
            f"| total | {t['total_s']} |",
            "",
        ]
    first = m["first_run"]

    def row(label: str, name: str) -> str:
        s = m[name]
        return (
            f"| {label} | {ms(first[name + '_s'])} | {ms(s['median_s'])} | {ms(s['min_s'])} "
            f"| {ms(s['max_s'])} |"
        )

    lines += [
        f"Per-area table of the nine matrix items, {args.repeat} runs after a first run; ms:",
        "",
        "| what | first run | median | min | max |",
        "|---|---|---|---|---|",
        row('app: `item_table(wave=wave, group_by="area")`, the whole call', "app"),
        row(f"of which its {m['app_queries_per_call']} SQL queries together", "app_sql"),
        row("of which its slowest query", "app_slowest_query"),
        row("raw SQL over the tallies (2 queries)", "raw_tallies"),
        row("raw SQL over the answers and responses (2 queries)", "raw_answers"),
        row("of which the query over the answers", "raw_answers_sums"),
        "",
        "First run: on a fresh connection each, in this order; the tables were in the "
        "operating system's page cache, not read from disk.",
        "",
        f"CPU during the {m['cpu']['seconds']} s of timed runs, in cores ({info['cores']} = the "
        f"whole machine): the benchmark (this process, its PostgreSQL backend and the parallel "
        f"workers) {m['cpu']['benchmark_cores']}, other processes {m['cpu']['other_cores']}; "
        f"machine {m['cpu']['machine_busy_pct']} % busy. Load average before and after: "
        f"{m['load_average']['before']} / {m['load_average']['after']}.",
        "",
    ]
    check_result, targets = m["check"], m["targets"]
    verdict = (
        f"identical n, sums and means for all {check_result['areas']} areas × 9 items "
        f"({check_result['cells']} cells) and the same respondents per area; the raw SQL over "
        "the tallies gives the same figures as over the answers"
        if check_result["ok"]
        else "**MISMATCH**: " + "; ".join(check_result["problems"])
    )
    lines += [
        f"- Check, app against the raw SQL over the answers: {verdict}.",
        f"- App / raw SQL over the same rows (the tallies), medians: "
        f"{m['ratio_app_raw_tallies']}; the target, within {TARGET_RATIO:g}×, is "
        f"{'met' if targets['app_within_2x_raw'] else 'missed'}.",
        f"- App / raw SQL over the answers, medians: {m['ratio_app_raw_answers']:g}.",
        f"- App median {ms(m['app']['median_s'])} ms; the target, under {TARGET_SECONDS:g} s, "
        f"is {'met' if targets['app_under_1s'] else 'missed'}.",
        "",
        "The app's aggregating queries, and their plans (`EXPLAIN (ANALYZE, BUFFERS)`, run once "
        "after the timings):",
    ]
    for query in m["plans"]["app"]:
        if query["plan"] is None:
            continue
        lines += ["", "```sql", query["sql"], "```", "", "```", query["plan"], "```"]
    lines.append(f"<!-- {args.section}:end -->")
    return "\n".join(lines)


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


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--responses", type=int, default=1_000_000, help="responses to load")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs after the first")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the test data")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    parser.add_argument("--json", type=Path, help="also write the raw results and plans here")
    parser.add_argument(
        "--section",
        default="results_table",
        help="name of the <!-- NAME:start/end --> section of docs/benchmarks.md to replace",
    )
    parser.add_argument("--database", default=DB_NAME, help="the benchmark's database")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="time the existing --database (kept by an earlier run) without loading or dropping it",
    )
    parser.add_argument(
        "--db-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the benchmark's connections, for experiments "
        "(e.g. max_parallel_workers_per_gather=0); repeatable",
    )
    args = parser.parse_args(argv)
    args.argv = argv
    if args.repeat < 1 or args.responses < 1:
        parser.error("--repeat and --responses must be positive")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    env = app_env(args.database)
    if args.db_setting:
        options = " ".join(f"-c {setting}" for setting in args.db_setting)
        env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " " + options).strip()
    info: dict = {"cores": os.cpu_count(), "memory_gb": memory_gb()}
    try:
        if not args.reuse_db:
            print(f"database {args.database}: create, migrate, load registry ...", flush=True)
            admin_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
            admin_sql(f'CREATE DATABASE "{args.database}"')
            run([sys.executable, "manage.py", "migrate", "--no-input"], env)
            run([sys.executable, "manage.py", "load_registry"], env)

        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        from yhdyspinta.surveys.models import Wave

        if args.reuse_db:
            wave_pk = Wave.objects.get(name=WAVE_NAME, survey__key=TEMPLATE).pk
        else:
            wave_pk = create_wave()
            print(f"loading {args.responses:,} responses ...", flush=True)
            info["load"] = load(args.database, wave_pk, args.responses, args.seed)
            print(json.dumps(info["load"]), flush=True)
        info["data"] = data_shape(wave_pk)
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            version = "PostgreSQL " + cur.fetchone()[0]
            found = {}
            for name in PG_SETTINGS:
                cur.execute(f"SHOW {name}")
                found[name] = cur.fetchone()[0]
        info["postgres"] = {"version": version, "settings": found}
        info["app_version"] = app_version()
        print(f"timing {args.repeat} runs ...", flush=True)
        info["measure"] = measure(wave_pk, args.repeat)
        if app_version() != info["app_version"]:
            info["app_version"] += " (the app's files changed during the run)"
        m = info["measure"]
        print(
            json.dumps(
                {
                    k: m[k]
                    for k in (
                        "first_run",
                        "app",
                        "raw_tallies",
                        "raw_answers",
                        "ratio_app_raw_tallies",
                        "ratio_app_raw_answers",
                        "targets",
                    )
                }
                | {"check_ok": m["check"]["ok"]},
                indent=2,
            ),
            flush=True,
        )
        text = section(args, info)
        if not args.no_docs:
            write_docs(text, args.section)
            print(f"updated {DOCS.relative_to(ROOT)}")
        if args.json:
            args.json.write_text(json.dumps(info, indent=2, default=str))
        if not m["check"]["ok"]:
            print("\n".join(m["check"]["problems"]), file=sys.stderr)
        return 0 if m["check"]["ok"] else 1
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep_db and not args.reuse_db:
            with contextlib.suppress(Exception):
                admin_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
