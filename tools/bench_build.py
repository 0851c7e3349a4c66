"""Our build speed beside Tornado's own documentation, on this machine, in one run.

    python -m tools.bench_build [--runs 3] [--report reports/build-speed.md]

Tornado's docs come from the pinned release's sdist, built with the Sphinx their
requirements.txt pins, in a virtualenv of their own (tools/tornado_docs.py). Ours are
built from a copy of this checkout, so nothing here touches the working tree. Measured:

- clean: a build from nothing (Tornado: one language; us: every language);
- incremental: after touching one page (Tornado: one language; us: every language);
- serve: from saving a sentence into a page to `make serve` serving it, in every language.

Each incremental and serve figure is the median of --runs runs. The ratios divide our time
by Tornado's; the target is incremental <= 1.5 and serve within 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from tools.languages import LANGUAGES, LOCAL_HOST
from tools.project import ROOT
from tools.testing import copy_project, free_port
from tools.tornado_docs import pinned_tornado, prepare

TORNADO_PAGE = "guide/intro.rst"
OUR_PAGE = "part1/first-application.md"


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


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
            time.sleep(1)
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

        figures: dict[str, dict[str, list[float]]] = {"tornado": {}, "ours": {}}
        out, doctrees = tmp / "tornado-html", tmp / "tornado-doctrees"
        figures["tornado"]["clean"] = [tornado.build(out, doctrees)]
        figures["ours"]["clean"] = [timed(ours, guide, env)]
        print(f"[bench] clean: Tornado {figures['tornado']['clean'][0]:.2f} s, ours {figures['ours']['clean'][0]:.2f} s", flush=True)

        figures["tornado"]["incremental"], figures["ours"]["incremental"] = [], []
        for _ in range(args.runs):  # interleaved, so both see the same load
            (tornado.docs / TORNADO_PAGE).touch()
            figures["tornado"]["incremental"].append(tornado.build(out, doctrees))
            (guide / "docs" / OUR_PAGE).touch()
            figures["ours"]["incremental"].append(timed(ours, guide, env))
        figures["ours"]["serve"] = serve_feedback(guide, env, args.runs)

    median = {side: {kind: statistics.median(values) for kind, values in kinds.items()} for side, kinds in figures.items()}
    clean_ratio = median["ours"]["clean"] / median["tornado"]["clean"]
    incremental_ratio = median["ours"]["incremental"] / median["tornado"]["incremental"]
    serve_ratio = median["ours"]["serve"] / median["tornado"]["incremental"]
    command = "python -m tools.bench_build" + (f" --runs {args.runs}" if args.runs != 3 else "")
    languages = " + ".join(LANGUAGES)

    def runs(values: list[float]) -> str:
        return ", ".join(f"{value:.2f}" for value in values)

    lines = [
        "# Build speed beside Tornado's own documentation",
        "",
        f"Measured by `{command}` ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end, Python {platform.python_version()}).",
        f"Tornado {version}'s docs/ from its sdist, built with Sphinx {tornado.sphinx}: {tornado.note}.",
        f"Ours: a copy of this checkout, every language ({languages}), built with `python -m tools.site build`.",
        f"Incremental: after touching one page (Tornado `docs/{TORNADO_PAGE}`, ours `docs/{OUR_PAGE}`);",
        "serve: from saving a new sentence into that page to `make serve` serving it in every language.",
        f"Medians of {args.runs} runs (each run listed).",
        "",
        "| build | Tornado (one language) | ours (every language) | ratio |",
        "| --- | --- | --- | --- |",
        f"| clean | {median['tornado']['clean']:.2f} s | {median['ours']['clean']:.2f} s | {clean_ratio:.2f} |",
        f"| incremental | {median['tornado']['incremental']:.2f} s ({runs(figures['tornado']['incremental'])}) "
        f"| {median['ours']['incremental']:.2f} s ({runs(figures['ours']['incremental'])}) | {incremental_ratio:.2f} |",
        f"| serve feedback | (incremental above) | {median['ours']['serve']:.2f} s ({runs(figures['ours']['serve'])}) | {serve_ratio:.2f} |",
        "",
        f"Targets: incremental ratio at most 1.5 ({'met' if incremental_ratio <= 1.5 else 'MISSED'}); "
        f"serve feedback within 2 s ({'met' if median['ours']['serve'] <= 2 else 'MISSED'}).",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
