"""The playground: every panel, in both languages, answers as the same program does as a real server.

One truth, two runtimes: each panel's requests (the curl commands of the page's
transcripts) are run in the page, by Tornado on Pyodide in a worker, and sent to the
same example file started as a real server; status, Content-Type, Location and body
must agree. Nothing is fetched before Run and no request leaves the site; a handler
that never returns is stopped (Stop, and the time limit); a panel works at 375 px.
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tools import site
from tools.testing import free_port

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1800)]

sys.path.insert(0, str(site.ROOT / "tools" / "playground_files"))
import harness  # noqa: E402  (the playground's own cookie rules, for the real server's client too)

FIRST_ANSWER_TIMEOUT = 90_000  # ms: a cold start on a busy 2-core machine
# What differs between two runs of the same program by design (random tokens, clocks).
VOLATILE = [
    (re.compile(r'name="_xsrf" value="[^"]*"'), 'name="_xsrf" value="…"'),
    (re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?"), "…time…"),
]


@functools.cache
def panels(built_site: Path, language: str) -> list[tuple[str, str, list[dict], dict]]:
    """(page, example, presets, environment) of every panel of a language."""
    found = []
    for page in sorted((built_site / language).rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        if "data-playground=" not in html:  # most pages have no panel: not worth parsing
            continue
        soup = BeautifulSoup(html, "html.parser")
        for section in soup.select("[data-playground]"):
            presets = json.loads(section.select_one(".playground-presets").string)
            environment = (json.loads(section["data-env"]), json.loads(section["data-args"]))
            found.append(
                (page.relative_to(built_site / language).as_posix(), section["data-playground"], presets, environment)
            )
    return found


def test_panels_in_both_languages(built_site):
    for language in site.LANGUAGES:
        found = panels(built_site, language)
        assert len(found) >= 15, f"{language}: only {len(found)} panels"
    assert [found[1] for found in panels(built_site, "en")] == [found[1] for found in panels(built_site, "zh_CN")]


def test_runtime_is_in_each_language(built_site):
    for language in site.LANGUAGES:
        runtime = built_site / language / "_playground"
        for name in ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "tornado.zip", "lock.json",
                     "worker.mjs", "harness.py", "licenses/pyodide-MPL-2.0.txt", "licenses/cpython-PSF.txt",
                     "licenses/tornado-Apache-2.0.txt"]:  # fmt: skip
            assert (runtime / name).is_file(), f"{language}: _playground/{name} is missing"
        assert json.loads((runtime / "lock.json").read_text())["packages"] == {}


class RealServer:
    """The example file as the tests start it: a process listening on a free port."""

    def __init__(self, example: str, environment: tuple[dict, list]):
        self.port = free_port()
        environment, arguments = environment
        secrets = {name: harness.secrets.token_urlsafe(32) for name, value in environment.items() if value == "random"}
        path = site.ROOT / example
        self.process = subprocess.Popen(
            [sys.executable, path.name, f"--port={self.port}", *arguments], cwd=path.parent,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **environment, **secrets},
        )  # fmt: skip
        self.cookies = harness.Playground()  # only its cookie jar is used
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=1).connect()
                return
            except OSError:
                assert self.process.poll() is None, f"{example} exited with {self.process.returncode}"
                time.sleep(0.1)
        raise AssertionError(f"{example} did not listen on port {self.port}")

    def request(self, preset: dict) -> dict:
        headers = dict(preset["headers"])
        headers.setdefault("Host", harness.HOST)
        if self.cookies.cookies and "Cookie" not in headers:
            headers["Cookie"] = self.cookies._cookie_header()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(preset["method"], preset["path"], body=preset["body"].encode() or None, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        received = harness.httputil.HTTPHeaders()
        for name, value in answer.getheaders():
            received.add(name, value)
        self.cookies._keep_cookies(received)
        connection.close()
        return {
            "code": answer.status,
            "headers": [[n, v] for n, v in answer.getheaders()],
            "body": body.decode("utf-8", "replace"),
        }

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def essentials(response: dict) -> dict:
    """What must agree between the two runtimes."""
    headers = {name.lower(): value for name, value in response["headers"]}
    body = response["body"]
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return {
        "status": response["code"],
        "content-type": headers.get("content-type"),
        "location": headers.get("location"),
        "set-cookie names": sorted(
            line.split("=")[0] for name, line in response["headers"] if name.lower() == "set-cookie"
        ),
        "body": body,
    }


def run_panel(page, index: int, preset_index: int | None) -> dict:
    panel = page.locator("[data-playground]").nth(index)
    if preset_index is not None:
        panel.locator("[data-playground-preset]").select_option(str(preset_index))
    panel.locator("[data-playground-run]").click()
    page.wait_for_function(
        "p => p.dataset.state !== 'running'", arg=panel.element_handle(), timeout=FIRST_ANSWER_TIMEOUT
    )
    state = panel.get_attribute("data-state")
    output = panel.locator("[data-playground-output]").inner_text()
    assert state == "done", f"the panel ended in state {state}: {output[:2000]}"
    response = panel.evaluate("p => p.playground.lastResponse")
    assert output.startswith(response["status"] + "\n"), output[:200]
    assert re.match(r"HTTP/1\.1 \d{3} ", output)
    return response


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_every_panel_answers_as_the_real_server(built_site, site_url, browser, language):
    pages = {}
    for name, example, presets, environment in panels(built_site, language):
        pages.setdefault(name, []).append((example, presets, environment))
    context = browser.new_context()
    outside = []
    mismatches = []
    try:
        for name, found in pages.items():
            page = context.new_page()
            page.on("request", lambda request: request.url.startswith(site_url) or outside.append(request.url))
            page.goto(f"{site_url}/{language}/{name}")
            for index, (example, presets, environment) in enumerate(found):
                server = RealServer(example, environment)
                try:
                    for preset_index, preset in enumerate(presets or [None]):
                        try:
                            in_page = run_panel(page, index, preset_index if preset else None)
                        except AssertionError as error:
                            mismatches.append(f"{name} {example} {preset and preset['label']}: {error}")
                            break
                        real = server.request(preset or {"method": "GET", "path": "/", "headers": [], "body": ""})
                        if essentials(in_page) != essentials(real):
                            mismatches.append(f"{name} {example} {preset and preset['label']}:\n"
                                              f"  page: {essentials(in_page)}\n  real: {essentials(real)}")  # fmt: skip
                finally:
                    server.stop()
            page.close()
    finally:
        context.close()
    assert not outside, f"requests left the site: {outside}"
    assert not mismatches, "\n".join(mismatches)


def first_panel_page(built_site, language):
    name, example, *_ = panels(built_site, language)[0]
    return name, example


def test_nothing_is_fetched_before_run(built_site, site_url, browser):
    name, _ = first_panel_page(built_site, "en")
    page = browser.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{site_url}/en/{name}")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "_playground" in url]
    page.close()


def test_a_handler_that_never_returns_is_stopped(built_site, site_url, browser):
    page = browser.new_page()
    page.goto(f"{site_url}/en/part1/first-application.html")
    panel = page.locator('[data-playground="examples/part1/first-application/hello.py"]')
    code = panel.locator(".playground-code textarea")
    endless = code.input_value().replace(
        "    def get(self):\n", "    def get(self):\n        while True:\n            pass\n"
    )
    assert "while True" in endless
    code.fill(endless)
    # Stop ends the worker at once.
    panel.locator("[data-playground-run]").click()
    page.wait_for_function("p => p.playground.ready", arg=panel.element_handle(), timeout=FIRST_ANSWER_TIMEOUT)
    time.sleep(1)
    panel.locator("[data-playground-stop]").click()
    assert panel.get_attribute("data-state") == "stopped"
    assert panel.evaluate("p => p.playground.worker") is None
    # Left alone, the time limit ends it.
    started = time.monotonic()
    panel.locator("[data-playground-run]").click()
    page.wait_for_function(
        "p => p.dataset.state === 'stopped'", arg=panel.element_handle(), timeout=FIRST_ANSWER_TIMEOUT
    )
    assert time.monotonic() - started < 60
    assert (
        panel.locator("[data-playground-status]").inner_text().startswith("Stopped: Python did not give control back")
    )
    # The program as the page shows it runs again.
    panel.locator("[data-playground-reset]").click()
    assert run_panel(page, 0, 0)["code"] == 200
    page.close()


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_a_panel_works_at_375_px(built_site, site_url, browser, language):
    name, _ = first_panel_page(built_site, language)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(f"{site_url}/{language}/{name}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    panel = page.locator("[data-playground]").first
    panel.locator("[data-playground-run]").scroll_into_view_if_needed()
    response = run_panel(page, 0, None)
    assert response["code"] < 500
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    words = panel.locator("[data-playground-run]").inner_text()
    assert words == {"en": "Run", "zh_CN": "运行"}[language]
    page.close()


@pytest.mark.parametrize("language", site.LANGUAGES)
def test_check_says_what_is_still_wrong_in_the_pages_language(site_url, browser, language):
    page = browser.new_page()
    page.goto(f"{site_url}/{language}/part3/redirects.html")
    panel = page.locator('[data-playground="examples/part3/redirects/redirects.py"]')
    panel.locator("[data-playground-check]").click()
    page.wait_for_function(
        "p => (p.dataset.state || '').startsWith('check-')", arg=panel.element_handle(), timeout=FIRST_ANSWER_TIMEOUT
    )
    assert panel.get_attribute("data-state") == "check-failed"
    status = panel.locator("[data-playground-status]").inner_text()
    assert {"en": "GET /old should answer 301", "zh_CN": "GET /old 应该返回 301"}[language] in status
    code = panel.locator(".playground-code textarea")
    solved = code.input_value().replace(
        "        # ANCHOR_END: redirect-routes",
        '        url(r"/old", RedirectHandler, dict(url="/about")),\n        # ANCHOR_END: redirect-routes',
    )
    assert solved != code.input_value()
    code.fill(solved)
    panel.locator("[data-playground-check]").click()
    page.wait_for_function(
        "p => p.dataset.state === 'check-passed'", arg=panel.element_handle(), timeout=FIRST_ANSWER_TIMEOUT
    )
    assert panel.locator("[data-playground-output]").inner_text().startswith("HTTP/1.1 301 Moved Permanently")
    page.close()


def test_two_websocket_clients_in_one_panel(site_url, browser):
    page = browser.new_page()
    page.goto(f"{site_url}/en/part3/websockets.html")
    panel = page.locator('[data-playground="examples/part3/websockets/websocket_chat.py"]')
    for client in "AB":
        panel.locator(f'[data-playground-client="{client}"] [data-playground-connect]').click()
        page.wait_for_function(
            "p => p.dataset.state !== 'running'", arg=panel.element_handle(), timeout=FIRST_ANSWER_TIMEOUT
        )
        assert panel.locator("[data-playground-output]").inner_text().startswith("HTTP/1.1 101 Switching Protocols")
    panel.locator('[data-playground-client="A"] [data-playground-message]').fill('{"text": "Hi from A"}')
    panel.locator('[data-playground-client="A"] [data-playground-send]').click()
    received = panel.locator("[data-playground-received]")
    for client in "AB":
        received.filter(has_text=f'{client} received: {{"text": "Hi from A"}}').wait_for(timeout=10_000)
    # A message the room refuses closes that client's connection with 1008, as on a real server.
    panel.locator('[data-playground-client="B"] [data-playground-message]').fill("not JSON")
    panel.locator('[data-playground-client="B"] [data-playground-send]').click()
    received.filter(has_text="B received: [closed 1008]").wait_for(timeout=10_000)
    page.close()


def test_make_serve_sends_the_runtime_with_its_type_and_compressed(built_site):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tools.site", "serve", "--no-build", f"--port={port}"], cwd=site.ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "GUIDE_BUILD_DIR": str(site.BUILD_DIR)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/en/_playground/pyodide.asm.wasm", headers={"Accept-Encoding": "gzip"})
                answer = connection.getresponse()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "make serve did not start"
                time.sleep(0.2)
        body = answer.read()
        assert answer.status == 200
        assert answer.getheader("Content-Type") == "application/wasm"
        assert answer.getheader("Content-Encoding") == "gzip"
        wasm = (built_site / "en" / "_playground" / "pyodide.asm.wasm").read_bytes()
        assert len(body) < len(wasm) / 2
    finally:
        server.terminate()
        server.wait(10)


def test_the_editor_indents_with_tab_highlights_and_numbers_lines(site_url, browser):
    page = browser.new_page()
    page.goto(f"{site_url}/en/part1/first-application.html")
    panel = page.locator('[data-playground="examples/part1/first-application/hello.py"]')
    code = panel.locator(".playground-code textarea")
    lines = code.input_value().count("\n") + 1
    assert panel.locator(".playground-lines").inner_text().split() == [str(n) for n in range(1, lines + 1)]
    assert panel.locator(".playground-highlight .pg-k").first.inner_text() == "import"
    code.focus()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Tab")
    assert code.input_value().startswith("    import asyncio")
    page.keyboard.press("Shift+Tab")
    assert code.input_value().startswith("import asyncio")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not code.evaluate("area => area === document.activeElement")
    page.close()


def test_cookies_persist_across_runs_in_a_panel_until_reset(site_url, browser):
    page = browser.new_page()
    page.goto(f"{site_url}/en/part5/cookies.html")
    index = page.locator("[data-playground]").evaluate_all(
        "panels => panels.findIndex(p => p.dataset.playground.endsWith('/plain_cookie.py'))"
    )
    assert index >= 0
    assert [run_panel(page, index, 0)["body"] for _ in range(2)] == ["Visits: 1\n", "Visits: 2\n"]
    page.locator("[data-playground]").nth(index).locator("[data-playground-reset]").click()
    assert run_panel(page, index, 0)["body"] == "Visits: 1\n"
    page.close()
