"""Our build speed beside Tornado's own documentation, on this machine, in one run.

    python -m tools.bench_build [--runs 3] [--report reports/build-speed.md]

Tornado's docs come from the pinned release's sdist, built with the Sphinx their
requirements.txt pins, in a virtualenv of their own (tools/tornado_docs.py). Ours are
built from a copy of this checkout, so nothing here touches the working tree. Measured:

- clean: a build from nothing (Tornado: one language; us: every language);
- incremental: after a new sentence is saved into one English page (Tornado: one
  language; us: every language), with the search index and, to show its share,
  without it (Pagefind indexes every page again; make serve does that after the reload);
- serve: from saving a sentence into a page to `make serve` serving it, in every language.

Each incremental and serve figure is the median of --runs runs, wall-clock time and the CPU
time the build's processes used (less sensitive to other work on the machine). The ratios
divide our time by Tornado's; the targets: incremental <= 1.5, serve within 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from tools.languages import LANGUAGES, LOCAL_HOST
from tools.project import ROOT
from tools.search import DEFER_VARIABLE
from tools.testing import copy_project, free_port
from tools.tornado_docs import pinned_tornado, prepare

TORNADO_PAGE = "guide/intro.rst"
OUR_PAGE = "part1/first-application.md"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run a build; return its wall-clock and CPU seconds."""
    cpu, start = children_cpu(), time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds, children_cpu() - cpu


def edit(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except Exception:  # not up yet, or a page read while it is rewritten
        return ""


def wait_for(url: str, text: str, seconds: float, interval: float = 0.02) -> float:
    """Poll URL until it shows TEXT; return when it did (time.perf_counter())."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if text in fetch(url):
            return time.perf_counter()
        time.sleep(interval)
    raise RuntimeError(f"{url} did not show {text!r} within {seconds} s")


def serve_feedback(guide: Path, env: dict[str, str], runs: int) -> list[float]:
    """Seconds from saving an edit to the page being served with it, in every language."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tools.site", "serve", "--port", str(port), "--no-build"],
        cwd=guide, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://{LOCAL_HOST}:{port}"
    page = guide / "docs" / OUR_PAGE
    html = OUR_PAGE.replace(".md", ".html")
    try:
        wait_for(f"{base}/{LANGUAGES[0]}/{html}", "websocket-reload", 60, interval=0.2)
        time.sleep(2)  # let the watcher settle
        feedback = []
        original = page.read_text(encoding="utf-8")
        for run in range(runs):
            marker = f"Benchmark sentence {run} {time.time_ns()}."
            saved = time.perf_counter()
            page.write_text(original + f"\n{marker}\n", encoding="utf-8")
            # An untranslated paragraph shows in English on every language's page.
            seen = [wait_for(f"{base}/{language}/{html}", marker, 60) for language in LANGUAGES]
            feedback.append(max(seen) - saved)
            time.sleep(6)  # the search index of this edit is written in the background meanwhile
        page.write_text(original, encoding="utf-8")
        return feedback
    finally:
        os.killpg(server.pid, 2)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_build", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per incremental and serve figure (median)")
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "build-speed.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        version = pinned_tornado()
        print(f"[bench] downloading tornado=={version} and installing the Sphinx its docs pin ...", flush=True)
        tornado = prepare(tmp / "tornado", version)
        print(f"[bench] Tornado's docs: Sphinx {tornado.sphinx} ({tornado.note})", flush=True)

        guide = copy_project(tmp / "guide")
        env = dict(os.environ, GUIDE_BUILD_DIR=str(tmp / "guide-build"))
        ours = [sys.executable, "-m", "tools.site", "build", *LANGUAGES]

        tornado_env = dict(os.environ, TORNADO_EXTENSION="0", PYTHONPATH=str(tornado.source))
        out, doctrees = tmp / "tornado-html", tmp / "tornado-doctrees"
        tornado_build = [*tornado.build_command(out, doctrees)]
        unindexed = dict(env, **{DEFER_VARIABLE: "1"})
        wall: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}

        def record(name: str, figures: tuple[float, float]) -> None:
            wall.setdefault(name, []).append(figures[0])
            cpu.setdefault(name, []).append(figures[1])

        record("tornado clean", timed(tornado_build, tornado.docs, tornado_env))
        record("ours clean", timed(ours, guide, env))
        print(
            f"[bench] clean: Tornado {wall['tornado clean'][0]:.2f} s, ours {wall['ours clean'][0]:.2f} s", flush=True
        )
        for run in range(args.runs):  # interleaved, so that both see the same load
            edit(tornado.docs / TORNADO_PAGE, f"\n\nA benchmark sentence, number {run}.\n")
            record("tornado incremental", timed(tornado_build, tornado.docs, tornado_env))
            edit(guide / "docs" / OUR_PAGE, f"\n\nA benchmark sentence, number {run}.\n")
            record("ours incremental", timed(ours, guide, env))
            edit(guide / "docs" / OUR_PAGE, f"\n\nAnother benchmark sentence, number {run}.\n")
            record("ours incremental, search index later", timed(ours, guide, unindexed))
        record("ours clean", timed(ours, guide, env))  # index again, for make serve below
        wall["ours clean"].pop()
        cpu["ours clean"].pop()
        wall["ours serve"] = serve_feedback(guide, env, args.runs)
        print(f"[bench] serve: {wall['ours serve']}", flush=True)

    def median(figures: dict[str, list[float]], name: str) -> float:
        return statistics.median(figures[name])

    def runs(values: list[float]) -> str:
        return ", ".join(f"{value:.2f}" for value in values)

    def row(label: str, name: str, tornado_name: str) -> str:
        return (
            f"| {label} | {median(wall, name):.2f} s ({runs(wall[name])}) | {median(cpu, name):.2f} s "
            f"| {median(wall, name) / median(wall, tornado_name):.2f} | {median(cpu, name) / median(cpu, tornado_name):.2f} |"
        )

    incremental_ratio = median(wall, "ours incremental") / median(wall, "tornado incremental")
    serve = median(wall, "ours serve")
    command = "python -m tools.bench_build" + (f" --runs {args.runs}" if args.runs != 3 else "")
    languages = " + ".join(LANGUAGES)
    lines = [
        "# Build speed beside Tornado's own documentation",
        "",
        f"Measured by `{command}` (`make bench`) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: "
        f"{os.cpu_count()} cores shared with other work (load average {os.getloadavg()[0]:.1f} at the end), "
        f"Python {platform.python_version()}.",
        "",
        f"- Tornado: {version}'s `docs/` from its sdist, one language, built with Sphinx {tornado.sphinx} "
        f"({tornado.note}).",
        f"- Ours: a copy of this checkout, every language ({languages}), `python -m tools.site build`.",
        f"- Incremental: after a new sentence is saved into one page (Tornado `docs/{TORNADO_PAGE}`, ours "
        f"`docs/{OUR_PAGE}`); ours also with the Pagefind index left for later ({DEFER_VARIABLE}=1, as `make serve` does).",
        "- Serve: from saving a new sentence into that page to `make serve` serving it in every language, 6 s apart "
        "(the search index follows in the background).",
        f"- Medians of {args.runs} runs (each run in brackets); CPU is the user + system time of the build's processes.",
        "",
        "| build | wall | CPU | wall ratio to Tornado | CPU ratio to Tornado |",
        "| --- | --- | --- | --- | --- |",
        row("Tornado clean (one language)", "tornado clean", "tornado clean"),
        row("ours clean (every language)", "ours clean", "tornado clean"),
        row("Tornado incremental (one language)", "tornado incremental", "tornado incremental"),
        row("ours incremental (every language)", "ours incremental", "tornado incremental"),
        row("ours incremental, search index later", "ours incremental, search index later", "tornado incremental"),
        f"| ours: `make serve` shows the edit | {serve:.2f} s ({runs(wall['ours serve'])}) | | "
        f"{serve / median(wall, 'tornado incremental'):.2f} | |",
        "",
        f"Targets: incremental at most 1.5 times Tornado's ({incremental_ratio:.2f}: "
        f"{'met' if incremental_ratio <= 1.5 else 'missed'}); `make serve` within 2 s "
        f"({serve:.2f} s: {'met' if serve <= 2 else 'missed'}).",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
