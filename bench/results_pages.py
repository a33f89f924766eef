"""Response times of the result pages, cold (empty results cache) and warm.

Run from the project root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth):

    uv run python bench/results_pages.py

It creates a fresh database `yhdyspinta_bench_pages` (dropping an old one), migrates it, loads
the registry and the demo survey data (the calibrated 2026 wave and three earlier ones), and
then, in this process with Django's test client logged in as a platform administrator, times
every result page of the 2026 wave: once with an empty results cache ("cold": the figures are
computed and the charts drawn) and `--repeat` times after that ("warm"). The time is that of
the whole request in the app (URL routing, session, permission checks, templates), without a
network or a web server in front. With `--database-url` it measures an existing database
instead (for example one kept by `bench/results_table.py --keep-db`, with a million
responses) and `--wave` picks the wave.

The results replace the section between `<!-- results_pages:start -->` and
`<!-- results_pages:end -->` in docs/benchmarks.md (`--no-docs` to leave it alone).
"""

# The subprocesses are fixed commands built here (S603, S607).
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
DATABASE = "yhdyspinta_bench_pages"
TARGET_MS = 300


def psql(command: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", command],
        check=True,
    )


def prepare(url: str) -> None:
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    env = {**os.environ, "DATABASE_URL": url}
    for command in (["migrate", "-v0"], ["load_registry"], ["demo_data"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def measure(wave_name: str, repeat: int) -> tuple[list[dict], dict]:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yhdyspinta.settings")
    os.environ["DEBUG"] = "1"
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from yhdyspinta.accounts.models import User
    from yhdyspinta.surveys.models import Response, Wave

    setup_test_environment()
    wave = Wave.objects.filter(name=wave_name).order_by("-pk").first()
    if wave is None:
        raise SystemExit(f"no wave named {wave_name}")
    admin = User.objects.filter(is_staff=True).first() or User.objects.create_user(
        email="bench-admin@example.invalid", password=None, is_staff=True
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    base = f"/results/waves/{wave.pk}"
    pages = [
        ("means by area", f"{base}/"),
        ("means by area, sorted and filtered", f"{base}/?sort=regular_meetings&position=manager"),
        ("ratings", f"{base}/ratings/"),
        ("trends", f"{base}/trends/"),
        ("map", f"{base}/map/"),
        ("area report", f"{base}/areas/08/"),
        ("API results", f"/api/v1/waves/{wave.pk}/results/"),
    ]
    # Import the chart modules first, as a running server would have: their loading is a
    # cost of the process, not of a request.
    import yhdyspinta.results.charts
    import yhdyspinta.results.maps  # noqa: F401

    cache.clear()
    rows = []
    for name, path in pages:
        started = time.perf_counter()
        response = client.get(path)
        cold = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        warm = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            warm.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "page": name,
                "path": path.replace(str(wave.pk), "{wave}"),
                "cold": cold,
                "median": statistics.median(warm),
                "max": max(warm),
            }
        )
    info = {
        "responses": Response.objects.filter(wave=wave).count(),
        "database": connection.vendor,
        "server": connection.cursor().connection.info.server_version
        if connection.vendor == "postgresql"
        else "",
        "wave": wave.name,
    }
    return rows, info


def report(rows: list[dict], info: dict, repeat: int, url_given: bool) -> str:
    cores = os.cpu_count()
    version = info["server"]
    pg = f"PostgreSQL {version // 10000}.{version % 10000}" if version else info["database"]
    data = "an existing database" if url_given else "the demo survey data"
    lines = [
        "### Result pages (`bench/results_pages.py`)",
        "",
        f"Run on {date.today().isoformat()} with `uv run python bench/results_pages.py`. "
        "Generated by the script; do not edit between the markers.",
        "",
        f"{cores} cores, Python {platform.python_version()}, {pg}; {data}: wave "
        f"{info['wave']} with {format(info['responses'], ',').replace(',', ' ')} responses "
        + "(the results cache in the process's memory). Cold: first request after emptying "
        f"the cache. Warm: median and slowest of the next {repeat}. Milliseconds.",
        "",
        "| page | cold | warm median | warm max |",
        "|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} (`{row['path']}`) | {row['cold']:.0f} | {row['median']:.0f} | "
            f"{row['max']:.0f} |"
        )
    worst = max(row["median"] for row in rows)
    verdict = "met" if worst < TARGET_MS else "missed"
    lines += [
        "",
        f"- Slowest warm median: {worst:.0f} ms; the target, under {TARGET_MS} ms warm, is "
        f"{verdict}.",
    ]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    start, end = "<!-- results_pages:start -->", "<!-- results_pages:end -->"
    block = f"{start}\n{section}\n{end}"
    if start in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--wave", default="2026")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    if not args.database_url:
        prepare(url)
    os.environ["DATABASE_URL"] = url
    try:
        rows, info = measure(args.wave, args.repeat)
    finally:
        if not args.database_url:
            from django.db import connections

            connections.close_all()
            psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    section = report(rows, info, args.repeat, bool(args.database_url))
    print(section)
    if not args.no_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
