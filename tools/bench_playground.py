"""How fast the playground answers, beside the same program as a real server.

    python -m tools.bench_playground [--runs 5] [--out reports/playground.md]

Needs a built site (python -m tools.site build en) and Chromium. For the page
part1/first-application (the hello.py panel) it measures, in Debian's Chromium:

- bytes fetched before Run (the budget: none from _playground/);
- time to first answer, cold (a fresh browser profile: nothing cached) and warm
  (a new page in the same profile: the runtime comes from the HTTP cache);
- the time of later requests (the page's own measure, Run to answer shown; and the
  time inside Tornado);
- the bytes the first Run fetches, as sent, and what gzip (level 6) makes of them;

and, for the same hello.py started as a real server with Python: time from start to
first answer, and the time of later requests over one kept-alive connection.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from tools.project import HTML_DIR, ROOT
from tools.testing import free_port

PAGE = "part1/first-application.html"
EXAMPLE = "examples/part1/first-application/hello.py"
LATER_REQUESTS = 20


def serve(root: Path) -> tuple[str, callable]:
    """The built site over HTTP, on a free port, in a thread (no compression: sizes are counted apart)."""
    import asyncio

    import tornado.web

    started, holder = threading.Event(), {}

    async def main():
        app = tornado.web.Application(
            [(r"/(.*)", tornado.web.StaticFileHandler, {"path": str(root), "default_filename": "index.html"})]
        )
        server = app.listen(0, address="127.0.0.1")
        holder["port"] = next(iter(server._sockets.values())).getsockname()[1]
        holder["stop"], holder["loop"] = asyncio.Event(), asyncio.get_running_loop()
        started.set()
        await holder["stop"].wait()

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    started.wait(10)
    return f"http://127.0.0.1:{holder['port']}", lambda: holder["loop"].call_soon_threadsafe(holder["stop"].set)


def first_answer(page, url: str) -> dict:
    """Open the page, press Run on the hello.py panel, and time it until the answer shows."""
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    before_run = [request.url for request in fetched if "/_playground/" in request.url]
    fetched.clear()
    milliseconds = page.evaluate(
        """async (example) => {
            const panel = document.querySelector(`[data-playground="${example}"]`).playground;
            const began = performance.now();
            const response = await panel.run();
            if (!response) throw new Error(panel.output.textContent);
            return performance.now() - began;
        }""",
        EXAMPLE,
    )
    sizes = {
        request.url: local_file(request.url).stat().st_size for request in fetched if "/_playground/" in request.url
    }
    return {"before_run": before_run, "milliseconds": milliseconds, "fetched": sizes}


def later_requests(page) -> tuple[list[float], list[float]]:
    """LATER_REQUESTS more Runs: (whole round trips in the page, time inside Tornado), in ms."""
    times = page.evaluate(
        """async ([example, count]) => {
            const panel = document.querySelector(`[data-playground="${example}"]`).playground;
            const rounds = [], inside = [];
            for (let i = 0; i < count; i++) {
                const began = performance.now();
                const response = await panel.run();
                rounds.push(performance.now() - began);
                inside.push(response.milliseconds);
            }
            return [rounds, inside];
        }""",
        [EXAMPLE, LATER_REQUESTS],
    )
    return times[0], times[1]


def real_server() -> dict:
    """hello.py as a real server: start to first answer, then later requests on one connection."""
    port = free_port()
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / EXAMPLE), f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/")
                connection.getresponse().read()
                break
            except OSError:
                time.sleep(0.01)
        first = (time.perf_counter() - began) * 1000
        later = []
        for _ in range(LATER_REQUESTS * 10):
            start = time.perf_counter()
            connection.request("GET", "/")
            connection.getresponse().read()
            later.append((time.perf_counter() - start) * 1000)
        return {"first": first, "later": later}
    finally:
        process.terminate()
        process.wait(10)


def local_file(url: str) -> Path:
    return HTML_DIR / url.split("/", 3)[3].split("?")[0]


def gzip_size(root: Path, url: str) -> int:
    return len(gzip.compress(local_file(url).read_bytes(), compresslevel=6))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_playground", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold and warm starts to time (median reported)")
    parser.add_argument("--out", type=Path, help="write the figures as Markdown into this file")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from tools.browser import launch

    root = HTML_DIR / "en"
    if not (root / "_playground" / "pyodide.asm.wasm").is_file():
        print(f"error: {root} has no playground runtime; build first: python -m tools.site build en", file=sys.stderr)
        return 1
    site_url, stop = serve(HTML_DIR)
    cold, warm, rounds, inside, fetched, before_run = [], [], [], [], {}, []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for _ in range(args.runs):
                context = browser.new_context()  # a fresh profile: an empty HTTP cache
                page = context.new_page()
                result = first_answer(page, f"{site_url}/en/{PAGE}")
                cold.append(result["milliseconds"])
                fetched, before_run = result["fetched"], before_run + result["before_run"]
                round_trips, in_tornado = later_requests(page)
                rounds += round_trips
                inside += in_tornado
                page.close()
                page = context.new_page()  # the same profile: the runtime is in the cache
                warm.append(first_answer(page, f"{site_url}/en/{PAGE}")["milliseconds"])
                context.close()
            browser.close()
    finally:
        stop()
    server = real_server()
    sent = sum(fetched.values())
    compressed = sum(gzip_size(HTML_DIR, url) for url in fetched)
    cpu = os.cpu_count()
    load = os.getloadavg()[0]
    lines = [
        "# The playground's speed",
        "",
        f"Measured with `python -m tools.bench_playground --runs {args.runs}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},",
        f"{cpu} cores, load average {load:.1f} at the end (the machine is shared: figures are upper bounds).",
        f"Page: en/{PAGE}, panel `{EXAMPLE}`, Debian's Chromium headless; the site served by Tornado on loopback.",
        "",
        "| | playground (Pyodide in a worker) | real server (CPython, loopback) |",
        "|---|---|---|",
        f"| fetched from `_playground/` before Run | {len(before_run)} files | — |",
        f"| first answer, cold (median of {args.runs}) | {statistics.median(cold):.0f} ms (min {min(cold):.0f}, max {max(cold):.0f}) "
        f"| {server['first']:.0f} ms from process start |",
        f"| first answer, warm cache (median of {args.runs}) | {statistics.median(warm):.0f} ms (min {min(warm):.0f}, max {max(warm):.0f}) | — |",
        f"| later requests, Run to answer shown (median, p95 of {len(rounds)}) "
        f"| {statistics.median(rounds):.1f} ms, {statistics.quantiles(rounds, n=20)[-1]:.1f} ms "
        f"| {statistics.median(server['later']):.2f} ms, {statistics.quantiles(server['later'], n=20)[-1]:.2f} ms (request to response) |",
        f"| later requests, inside Tornado (median) | {statistics.median(inside):.2f} ms | — |",
        f"| bytes on first Run | {sent / 1e6:.1f} MB as files (sent so without compression), {compressed / 1e6:.1f} MB with gzip -6 | — |",
        "",
        "Budgets (issue 14): nothing from `_playground/` before Run; first answer within 5 s on this",
        "machine when quiet; later answers under 100 ms.",
        "",
        "Files of the first Run:",
        "",
        *(f"- `{url.split('/_playground/')[1]}`: {size / 1000:.0f} KB, {gzip_size(HTML_DIR, url) / 1000:.0f} KB gzipped" for url, size in sorted(fetched.items())),
        "",
    ]  # fmt: skip
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
