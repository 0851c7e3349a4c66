"""The in-browser playground: an example program run by real Tornado inside the page.

    :::{playground} ../../examples/part1/first-application/hello.py
    :transcripts: hello.console
    :check: hello-json
    :env: COOKIE_SECRET=random
    :args: --poll_timeout=1
    :websocket: /chat
    Optional task for the reader (translated like any paragraph).
    :::

The directive renders a panel: the program in an editor, a request form whose presets
are the curl commands of the transcripts, Run, Reset, Stop (and Check for a task), and
the response. Nothing runs and nothing is downloaded until the reader presses Run: the
panel's script (playground.js, only on pages with a panel) then starts a module worker
(worker.mjs) that loads Pyodide, CPython compiled to WebAssembly, from this site, then
Tornado and the example's folder, and drives the program's Application through
harness.py, without sockets.

At the end of an HTML build the runtime is copied into _playground/ of the output:
Pyodide from node_modules (pinned in package-lock.json; `npm ci` installs it), Tornado
as a zip of the installed, pinned release's pure-Python modules, each example folder
that a panel uses, and the licences.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
import zipfile
from html import escape
from importlib.metadata import distribution
from pathlib import Path
from urllib.parse import urlsplit

import tornado
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from tools.code_comments import translated_program
from tools.languages import language as language_row
from tools.listings import LEFT_OUT_OF_ZIPS, folder_files
from tools.project import BUILD_DIR, EXAMPLES_DIR, ROOT
from tools.transcript import parse_transcript

RUNTIME = "_playground"
FILES_DIR = Path(__file__).with_name("playground_files")
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
# The worker gets a folder as a reader's zip has it, without the transcripts it does not run.
LEFT_OUT = (*LEFT_OUT_OF_ZIPS, "*.console")

# The panel's fixed words; playground.js has the words it writes while running.
WORDS = {
    "en": {
        "program": "Program: {name}",
        "keys": "Tab indents, Shift+Tab removes the indent; Esc then Tab leaves the editor.",
        "request": "Request",
        "method": "Method",
        "path": "Path",
        "headers": "Headers (one per line)",
        "body": "Body",
        "preset": "Request from this page",
        "custom": "(your own)",
        "run": "Run",
        "reset": "Reset",
        "stop": "Stop",
        "check": "Check",
        "response": "Response",
        "rendered": "The response as a browser shows it",
        "idle": "Nothing has run yet. Run starts Python in your browser: about 14 MB to download the first time, less when compressed.",
        "about": "Runs in your browser: CPython on WebAssembly (Pyodide {pyodide}) and Tornado {tornado}, "
        "from this site. Licences:",
        "log": "What the program printed (its log)",
        "ws": "Two WebSocket clients ({path})",
        "ws_client": "Client",
        "ws_open": "Connect",
        "ws_send": "Send",
        "ws_received": "What the clients received",
    },
    "zh": {
        "program": "程序：{name}",
        "keys": "Tab 缩进，Shift+Tab 取消缩进；先按 Esc 再按 Tab 可离开编辑器。",
        "request": "请求",
        "method": "方法",
        "path": "路径",
        "headers": "请求头（每行一个）",
        "body": "请求体",
        "preset": "本页的请求",
        "custom": "（自己填写）",
        "run": "运行",
        "reset": "还原",
        "stop": "停止",
        "check": "检查",
        "response": "响应",
        "rendered": "浏览器显示的响应",
        "idle": "尚未运行。点击「运行」会在浏览器中启动 Python：第一次需要下载约 14 MB，压缩传输时更少。",
        "about": "在浏览器中运行：WebAssembly 上的 CPython（Pyodide {pyodide}）和 Tornado {tornado}，"
        "均由本站提供。许可证：",
        "log": "程序的输出（日志）",
        "ws": "两个 WebSocket 客户端（{path}）",
        "ws_client": "客户端",
        "ws_open": "连接",
        "ws_send": "发送",
        "ws_received": "客户端收到的消息",
    },
}
LICENCES = [
    ("Pyodide (MPL-2.0)", "pyodide-MPL-2.0.txt"),
    ("CPython (PSF)", "cpython-PSF.txt"),
    ("Tornado (Apache-2.0)", "tornado-Apache-2.0.txt"),
]

# The exercises: what Check sends, and what it expects, with the words for what is still wrong.
CHECKS = {
    "hello-json-201": {
        "requests": [{"method": "POST", "path": "/", "headers": [], "body": ""}],
        "expect": [
            {"request": 0, "status": 201,
             "en": "POST / should answer 201 Created.",
             "zh": "POST / 应该返回 201 Created。"},
            {"request": 0, "header": ["Content-Type", "application/json"],
             "en": "The response should be JSON (Content-Type: application/json).",
             "zh": "响应应该是 JSON（Content-Type: application/json）。"},
        ],
    },
    "old-301": {
        "requests": [{"method": "GET", "path": "/old", "headers": [], "body": ""}],
        "expect": [
            {"request": 0, "status": 301,
             "en": "GET /old should answer 301 Moved Permanently.",
             "zh": "GET /old 应该返回 301 Moved Permanently。"},
            {"request": 0, "header": ["Location", "/about"],
             "en": "The redirect should send the client to /about (Location: /about).",
             "zh": "重定向应该把客户端引向 /about（Location: /about）。"},
        ],
    },
    "long-name-400": {
        "requests": [
            {"method": "GET", "path": "/?name=" + "a" * 21, "headers": [], "body": ""},
            {"method": "GET", "path": "/?name=Ada", "headers": [], "body": ""},
        ],
        "expect": [
            {"request": 0, "status": 400,
             "en": "A name of 21 characters should get 400 Bad Request.",
             "zh": "21 个字符的名字应该得到 400 Bad Request。"},
            {"request": 1, "status": 200,
             "en": "A short name (Ada) should still get 200 OK.",
             "zh": "短名字（Ada）仍应得到 200 OK。"},
        ],
    },
    "httponly-cookie": {
        "requests": [{"method": "GET", "path": "/", "headers": [], "body": ""}],
        "expect": [
            {"request": 0, "contains": ["Set-Cookie", "HttpOnly"],
             "en": "The visits cookie should be HttpOnly (Set-Cookie: ...; HttpOnly).",
             "zh": "visits Cookie 应该带 HttpOnly（Set-Cookie: ...; HttpOnly）。"},
            {"request": 0, "status": 200,
             "en": "GET / should still answer 200 OK.",
             "zh": "GET / 仍应返回 200 OK。"},
        ],
    },
}  # fmt: skip


# curl options whose value the panel has no use for (files, output format, time limit).
SKIPPED_CURL_OPTIONS = ("-b", "--cookie", "-c", "--cookie-jar", "-o", "--output", "-w", "-m", "--max-time")


def words(language: str) -> dict[str, str]:
    return WORDS[language_row(language).browser_prefix]


class playground(nodes.General, nodes.Element):
    """A panel; its children are the task of an exercise, if any."""


def curl_presets(path: Path) -> list[dict]:
    """The curl commands of a transcript as requests: method, path, headers, body."""
    presets = []
    for step in parse_transcript(path.read_text(encoding="utf-8")):
        if not step.command.startswith("curl "):
            continue
        words_ = shlex.split(step.command)[1:]
        method, headers, body, url = None, [], None, None
        index = 0
        while index < len(words_):
            word = words_[index]
            value = words_[index + 1] if index + 1 < len(words_) else ""
            if word in ("-X", "--request"):
                method, index = value, index + 1
            elif word in ("-H", "--header"):
                name, _, header_value = value.partition(":")
                headers.append([name.strip(), header_value.strip()])
                index += 1
            elif word in ("-d", "--data", "--data-raw", "--data-binary", "--data-urlencode"):
                body = value if body is None else body + "&" + value
                index += 1
            elif word in ("-b", "--cookie") and "=" in value:
                headers.append(["Cookie", value])  # cookies given on the command line, not a jar file
                index += 1
            elif word in ("-F", "--form"):
                break  # a multipart upload: not a preset (the form has no file field)
            elif word in SKIPPED_CURL_OPTIONS:
                index += 1
            elif not word.startswith("-") and url is None:
                url = word
            index += 1
        else:
            if url is None:
                continue
            parts = urlsplit(url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if body is not None and not any(name.lower() == "content-type" for name, _ in headers):
                headers.append(["Content-Type", "application/x-www-form-urlencoded"])
            method = method or ("POST" if body is not None else "GET")
            presets.append(
                {"label": step.command, "method": method, "path": target, "headers": headers, "body": body or ""}
            )
    return presets


class PlaygroundDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {
        "transcripts": directives.unchanged,
        "check": directives.unchanged,
        "env": directives.unchanged,
        "args": directives.unchanged,
        "websocket": directives.unchanged,
    }

    def run(self):
        relative, absolute = self.env.relfn2path(self.arguments[0])
        path = Path(absolute).resolve()
        if EXAMPLES_DIR not in path.parents or not path.is_file():
            raise self.error(f"playground: {self.arguments[0]} is not a file in examples/")
        self.env.note_dependency(str(path))
        presets = []
        for name in self.options.get("transcripts", "").split():
            transcript = path.parent / name
            if not transcript.is_file():
                raise self.error(f"playground: no transcript {name} beside {path.name}")
            self.env.note_dependency(str(transcript))
            presets += curl_presets(transcript)
        check = self.options.get("check")
        if check is not None and check not in CHECKS:
            raise self.error(f"playground: unknown check {check!r} (known: {', '.join(CHECKS)})")
        node = playground(
            example=path.relative_to(ROOT).as_posix(),
            folder=path.parent.relative_to(EXAMPLES_DIR).as_posix(),
            presets=presets,
            check=check,
            env=dict(item.split("=", 1) for item in self.options.get("env", "").split()),
            args=shlex.split(self.options.get("args", "")),
            websocket=self.options.get("websocket"),
            # On a translated page the editor shows the comments in the page's language, like
            # the code block above it; the code itself is the tested program.
            source=translated_program(self.env, self.config, path.read_text(encoding="utf-8")),
        )
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        if not hasattr(self.env, "guide_playgrounds"):
            self.env.guide_playgrounds = {}
        self.env.guide_playgrounds.setdefault(self.env.docname, set()).add(node["folder"])
        return [node]


def runtime_uri(builder) -> str:
    return relative_uri(builder.get_target_uri(builder.current_docname), f"{RUNTIME}/")


def visit_playground(self, node: playground) -> None:
    if self.builder.name != "html":
        # A book and the single-page copy for reading offline have no runtime: no panel.
        raise nodes.SkipNode
    language = self.builder.config.language
    number = self.guide_panel_count = getattr(self, "guide_panel_count", 0) + 1  # one translator per page
    attributes = {
        "id": f"playground-{number}",
        "data-playground": node["example"],
        "data-runtime": runtime_uri(self.builder),
        "data-folder": node["folder"],
        "data-language": language_row(language).browser_prefix,
        "data-env": json.dumps(node["env"]),
        "data-args": json.dumps(node["args"]),
    }
    if node["check"]:
        attributes["data-check"] = json.dumps(CHECKS[node["check"]], ensure_ascii=False)
    attrs = " ".join(f'{key}="{escape(value)}"' for key, value in attributes.items())
    presets = json.dumps(node["presets"], ensure_ascii=False).replace("</", "<\\/")
    self.body.append(
        f'<section class="playground" {attrs} data-pagefind-ignore="all">'
        f'<script type="application/json" class="playground-presets">{presets}</script>'
    )
    if len(node.children):
        self.body.append('<div class="playground-task">')


def skip_playground(self, node: playground) -> None:
    """A PDF has no runtime either: the panel goes, and with it its exercise, which is done in the panel."""
    raise nodes.SkipNode


def depart_playground(self, node: playground) -> None:
    language = self.builder.config.language
    word = words(language)
    runtime = runtime_uri(self.builder)
    ident = f"playground-{self.guide_panel_count}"
    name = Path(node["example"]).name
    first = node["presets"][0] if node["presets"] else {"method": "GET", "path": "/", "headers": [], "body": ""}
    headers = "\n".join(f"{key}: {value}" for key, value in first["headers"])
    options = "".join(
        f'<option value="{index}">{escape(preset["label"])}</option>' for index, preset in enumerate(node["presets"])
    )
    methods = "".join(
        f"<option{' selected' if method == first['method'] else ''}>{method}</option>"
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
    )
    licences = ", ".join(f'<a href="{runtime}licenses/{file}">{escape(label)}</a>' for label, file in LICENCES)
    about = escape(word["about"].format(pyodide=pyodide_version(), tornado=tornado.version))
    check = f'<button type="button" data-playground-check>{word["check"]}</button>' if node["check"] else ""
    if len(node.children):
        self.body.append("</div>")
    self.body.append(
        f'<div class="playground-editor"><label for="{ident}-code">{word["program"].format(name=f"<code>{escape(name)}</code>")}</label>'
        f'<div class="playground-code" style="--rows: {min(node["source"].count(chr(10)) + 1, 40)}">'
        f'<pre class="playground-lines" aria-hidden="true"></pre>'
        f'<pre class="playground-highlight" aria-hidden="true"></pre>'
        f'<textarea id="{ident}-code" aria-describedby="{ident}-keys" spellcheck="false" autocapitalize="off" autocomplete="off">'
        f"{escape(node['source'])}</textarea></div>"
        f'<p class="playground-keys" id="{ident}-keys">{word["keys"]}</p></div>'
        f'<fieldset class="playground-request"><legend>{word["request"]}</legend>'
        + (
            f'<label class="playground-preset">{word["preset"]} <select data-playground-preset>{options}'
            f'<option value="">{word["custom"]}</option></select></label>'
            if node["presets"] else ""
        )
        + f'<div class="playground-line"><label>{word["method"]} <select data-playground-method>{methods}</select></label>'
        f'<label class="playground-path">{word["path"]} <input data-playground-path value="{escape(first["path"])}" spellcheck="false"></label></div>'
        f'<label>{word["headers"]} <textarea data-playground-headers rows="2" spellcheck="false">{escape(headers)}</textarea></label>'
        f'<label>{word["body"]} <textarea data-playground-body rows="2" spellcheck="false">{escape(first["body"])}</textarea></label>'
        f"</fieldset>"
        f'<div class="playground-buttons"><button type="button" data-playground-run>{word["run"]}</button>'
        f'<button type="button" data-playground-reset>{word["reset"]}</button>'
        f'<button type="button" data-playground-stop>{word["stop"]}</button>{check}</div>'
        + websocket_clients(node, word)
        + f'<p class="playground-status" role="status" data-playground-status>{escape(word["idle"])}</p>'
        f'<p class="playground-response-title">{word["response"]}</p>'
        f'<pre class="playground-output" data-playground-output tabindex="0"></pre>'
        f'<details class="playground-log" hidden><summary>{word["log"]}</summary><pre data-playground-log></pre></details>'
        f'<iframe class="playground-frame" sandbox="" title="{word["rendered"]}" hidden></iframe>'
        f'<p class="playground-about">{about} {licences}</p>'
        "</section>"
    )  # fmt: skip


def websocket_clients(node: playground, word: dict[str, str]) -> str:
    """Two clients of the program's WebSocket: connect, send a message, see what each received."""
    if not node["websocket"]:
        return ""
    clients = "".join(
        f'<div class="playground-line" data-playground-client="{client}">'
        f'<button type="button" data-playground-connect>{word["ws_open"]} {client}</button>'
        f'<label class="playground-path">{word["ws_client"]} {client} '
        f'<input data-playground-message value="{escape(json.dumps({"text": f"Hello from {client}"}))}" spellcheck="false"></label>'
        f'<button type="button" data-playground-send>{word["ws_send"]}</button></div>'
        for client in ("A", "B")
    )
    legend = word["ws"].format(path=f"<code>{escape(node['websocket'])}</code>")
    return (
        f'<fieldset class="playground-request" data-playground-websocket="{escape(node["websocket"])}">'
        f"<legend>{legend}</legend>{clients}"
        f'<p class="playground-response-title">{word["ws_received"]}</p>'
        f'<pre class="playground-output" data-playground-received tabindex="0"></pre></fieldset>'
    )


def pyodide_version() -> str:
    package = PYODIDE_DIR / "package.json"
    return json.loads(package.read_text())["version"] if package.is_file() else "?"


def forget_panels(app, env, docname) -> None:
    getattr(env, "guide_playgrounds", {}).pop(docname, None)


def merge_panels(app, env, docnames, other) -> None:
    if not hasattr(env, "guide_playgrounds"):
        env.guide_playgrounds = {}
    theirs = getattr(other, "guide_playgrounds", {})
    env.guide_playgrounds.update({name: theirs[name] for name in docnames if name in theirs})


def add_panel_files(app, pagename, templatename, context, doctree) -> None:
    """The panel's script and style, on the pages that have a panel only."""
    if pagename in getattr(app.env, "guide_playgrounds", {}):
        app.add_css_file("playground.css")
        app.add_js_file("playground.js", type="module")


def tornado_zip() -> Path:
    """The installed (pinned) Tornado's pure-Python modules, zipped once per release: no tests,
    no compiled speedups (Tornado falls back to Python when they are missing)."""
    dist = distribution("tornado")
    target = BUILD_DIR / "playground-cache" / f"tornado-{dist.version}.zip"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    package = Path(tornado.__file__).parent
    temporary = target.with_suffix(".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(package.rglob("*")):
            relative = path.relative_to(package.parent)
            if (
                path.is_file()
                and "test" not in relative.parts
                and "__pycache__" not in relative.parts
                and path.suffix in (".py", ".typed")
            ):
                info = zipfile.ZipInfo(relative.as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
                archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    temporary.replace(target)
    return target


def tornado_licence() -> bytes:
    dist = distribution("tornado")
    for file in dist.files or []:
        if file.name in ("LICENSE", "LICENSE.txt"):
            return Path(dist.locate_file(file)).read_bytes()
    raise ExtensionError("playground: the installed Tornado has no LICENSE file to ship")


def folder_zip(folder: str) -> bytes:
    """One example folder as the worker unpacks it: programs, templates, static files, no tests."""
    import io

    base = EXAMPLES_DIR / folder
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in folder_files(base, LEFT_OUT):
            info = zipfile.ZipInfo(path.relative_to(base).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def copy_if_changed(source: Path, target: Path) -> None:
    if (
        target.is_file()
        and target.stat().st_size == source.stat().st_size
        and target.stat().st_mtime >= source.stat().st_mtime
    ):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def write_if_changed(target: Path, data: bytes) -> None:
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write_runtime(app, exception) -> None:
    """Copy the runtime into _playground/ of the HTML output."""
    if exception is not None or app.builder.name != "html":
        return
    panels = getattr(app.env, "guide_playgrounds", {})
    if not panels:
        return
    missing = [name for name in PYODIDE_FILES if not (PYODIDE_DIR / name).is_file()]
    if missing:
        message = f"playground: {', '.join(missing)} missing from {PYODIDE_DIR}: run `npm ci` first"
        if os.environ.get("READTHEDOCS"):
            raise ExtensionError(message)  # the published site must have its runtime
        # A copy of the project made for a test has no node_modules: its panels cannot run.
        print(f"{message}; the panels of this build cannot run", file=sys.stderr)
        return
    out = Path(app.outdir) / RUNTIME
    for name in PYODIDE_FILES:
        copy_if_changed(PYODIDE_DIR / name, out / name)
    shipped = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())
    # No package is ever loaded, so the lock lists none: Pyodide then has nothing to fetch.
    write_if_changed(out / "lock.json", json.dumps({"info": shipped["info"], "packages": {}}).encode())
    copy_if_changed(tornado_zip(), out / "tornado.zip")
    for name in ("worker.mjs", "harness.py"):
        copy_if_changed(FILES_DIR / name, out / name)
    for path in (FILES_DIR / "licenses").iterdir():
        copy_if_changed(path, out / "licenses" / path.name)
    write_if_changed(out / "licenses" / "tornado-Apache-2.0.txt", tornado_licence())
    for folder in sorted({folder for folders in panels.values() for folder in folders}):
        write_if_changed(out / "examples" / f"{folder}.zip", folder_zip(folder))


def add_static_path(app, config) -> None:
    config.html_static_path.append(str(FILES_DIR / "static"))


def setup(app):
    # Registered for the html format only: a builder with handlers of its own (epub, say)
    # would no longer fall back to the html handlers of the other extensions' nodes.
    # The PDF (tools/pdf.py) leaves the panels out, like the ePub and the single-page copy.
    app.add_node(playground, html=(visit_playground, depart_playground), latex=(skip_playground, None))
    app.add_directive("playground", PlaygroundDirective)
    app.connect("config-inited", add_static_path)
    app.connect("env-purge-doc", forget_panels)
    app.connect("env-merge-info", merge_panels)
    app.connect("html-page-context", add_panel_files)
    app.connect("build-finished", write_runtime)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 10}
