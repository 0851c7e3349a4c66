"""Example files on the site: a caption naming each file, every example folder as a .zip,
and every program that a page shows in part also shown whole on a page of its own.

A caption is the file's path from the repository root (examples/part1/.../hello.py). It
is added after the text was read, with no source line, so it is not a message to
translate. A shown excerpt (:pyobject:, :start-after:) gets a link to the whole file.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import tornado
from docutils import nodes
from sphinx.transforms import SphinxTransform

from tools import code_comments
from tools.languages import SOURCE_LANGUAGE
from tools.languages import language as language_row
from tools.project import EXAMPLES_DIR, ROOT

LISTINGS = "_examples"  # whole files at _examples/<path>.html, folders at _examples/<part>/<page>.zip
# What a reader's copy of an example folder leaves out: its tests and what running it leaves behind.
LEFT_OUT_OF_ZIPS = ("test_*", "conftest.py", "*.pyc", "*.log")
WORDS = {
    "en": {
        "whole": "whole file",
        "download": "Download the examples of this page",
        "how_to_run": "Run each program from this folder with Python 3.11 or newer:",
    },
    "zh": {
        "whole": "完整文件",
        "download": "下载本页的全部示例",
        "how_to_run": "请在本文件夹中用 Python 3.11 或更新版本运行各个程序：",
    },
}


def words(app) -> dict[str, str]:
    return WORDS[language_row(app.config.language).browser_prefix]


def example_path(node: nodes.literal_block) -> Path | None:
    source = node.get("source")
    if not source:
        return None
    path = Path(source).resolve()
    # A .console transcript is a terminal session, not a file a reader opens.
    return path if EXAMPLES_DIR in path.parents and path.suffix != ".console" else None


def listing_name(path: Path) -> str:
    """The page name of a whole file: _examples/part1/first-application/hello.py."""
    return f"{LISTINGS}/{path.relative_to(EXAMPLES_DIR).as_posix()}"


class CaptionExampleFiles(SphinxTransform):
    """Wrap each literalinclude of an example file in a captioned container."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        for block in list(self.document.findall(nodes.literal_block)):
            path = example_path(block)
            if path is None or isinstance(block.parent, nodes.container) and block.parent.get("literal_block"):
                continue
            caption = nodes.caption("", "", nodes.literal(text=path.relative_to(ROOT).as_posix()))
            shown_whole = block.astext().strip() == path.read_text(encoding="utf-8").strip()
            if not shown_whole:
                caption["guide_whole_file"] = listing_name(path)
            container = nodes.container("", literal_block=True, classes=["literal-block-wrapper"])
            self.document.set_id(container, suggested_prefix="listing")
            block.replace_self(container)
            container += caption
            container += block
            self.env.note_dependency(str(path))


def link_whole_files(app, doctree, docname) -> None:
    """Point each excerpt's caption at the page that shows the whole file (on the website only:
    a book or the single-page copy has no such pages)."""
    if app.builder.name != "html":
        for caption in doctree.findall(nodes.caption):
            caption.attributes.pop("guide_whole_file", None)
        return
    for caption in doctree.findall(nodes.caption):
        target = caption.attributes.pop("guide_whole_file", None)
        if target:
            uri = app.builder.get_relative_uri(docname, target)
            caption += nodes.Text(" · ")
            caption += nodes.reference("", words(app)["whole"], refuri=uri, classes=["guide-whole-file"])
    folder = EXAMPLES_DIR / docname
    if folder.is_dir() and any(folder.glob("*.py")):
        zip_uri = posixpath.relpath(f"{LISTINGS}/{docname}.zip", posixpath.dirname(docname) or ".")
        link = nodes.reference("", words(app)["download"] + " (.zip)", refuri=zip_uri, classes=["guide-download"])
        # A <div>, not a paragraph: it is the site's own line, with no English original to show.
        doctree += nodes.container("", nodes.inline("", "", link), classes=["guide-download"])


def note_written_page(app, pagename, templatename, context, doctree) -> None:
    app.guide_written_pages = getattr(app, "guide_written_pages", set()) | {pagename}


def whole_file_pages(app):
    """One page per example file that some page shows only in part.

    Builds are incremental: a page is written again only when its file changed since, or
    when this build rewrote every page of the guide (a new title in the sidebar, say)."""
    if app.builder.name != "html":
        return
    highlighter = app.builder.highlighter
    everything = app.env.found_docs <= getattr(app, "guide_written_pages", set())
    for path in shown_in_part(app):
        target = Path(app.outdir) / f"{listing_name(path)}.html"
        catalogs = comment_catalogs(app, path)
        if (
            not everything
            and target.is_file()
            and all(target.stat().st_mtime >= s.stat().st_mtime for s in [path, *catalogs])
        ):
            continue
        code = whole_file_in_language(app, path, catalogs)
        language = code_comments.listing_language(path)
        name = path.relative_to(ROOT).as_posix()
        body = f'<section data-pagefind-ignore="all"><h1><code>{name}</code></h1>'
        body += highlighter.highlight_block(code, language, linenos=True) + "</section>"
        yield listing_name(path), {"title": path.name, "body": body}, "page.html"


def comment_catalogs(app, path: Path) -> list[Path]:
    """The catalogs that give a whole-file page its comments on a translated site."""
    if app.config.language == SOURCE_LANGUAGE:
        return []
    if not hasattr(app, "guide_pages_showing_examples"):
        app.guide_pages_showing_examples = code_comments.pages_showing_examples()
    return code_comments.comment_catalogs(path, app.config.language, app.guide_pages_showing_examples)


def whole_file_in_language(app, path: Path, catalogs: list[Path]) -> str:
    """The file as its whole-file page shows it: with its comments in the site's language,
    from CATALOGS (comment_catalogs)."""
    code = path.read_text(encoding="utf-8")
    grammar = code_comments.whole_file_grammar(path)
    if grammar is None or app.config.language == SOURCE_LANGUAGE:
        return code
    translations: dict[str, str] = {}
    for found in catalogs:
        translations.update(code_comments.read_translations(found))
    return code_comments.translate(code, translations, grammar)


def shown_in_part(app) -> set[Path]:
    excerpts = getattr(app.env, "guide_excerpts", {})
    return {EXAMPLES_DIR / name for names in excerpts.values() for name in names}


def remember_excerpts(app, doctree) -> None:
    """Note, per page, which example files it shows only in part (kept across incremental builds)."""
    if not hasattr(app.env, "guide_excerpts"):
        app.env.guide_excerpts = {}
    app.env.guide_excerpts[app.env.docname] = {
        caption["guide_whole_file"].removeprefix(LISTINGS + "/")
        for caption in doctree.findall(nodes.caption) if "guide_whole_file" in caption
    }  # fmt: skip


def forget_excerpts(app, env, docname) -> None:
    getattr(env, "guide_excerpts", {}).pop(docname, None)


def merge_excerpts(app, env, docnames, other) -> None:
    if not hasattr(env, "guide_excerpts"):
        env.guide_excerpts = {}
    env.guide_excerpts.update(
        {name: other.guide_excerpts[name] for name in docnames if name in getattr(other, "guide_excerpts", {})}
    )


def folder_files(folder: Path, left_out: tuple[str, ...] = LEFT_OUT_OF_ZIPS) -> list[Path]:
    """The files of an example folder that a reader gets: programs, templates, static files."""
    return sorted(
        path for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.relative_to(folder).parts
        and not any(path.match(pattern) for pattern in left_out)
    )  # fmt: skip


def write_zips(app, exception) -> None:
    """examples/<part>/<page>/ as _examples/<part>/<page>.zip: programs, templates, static files."""
    if exception is not None or app.builder.name != "html":
        return
    for folder in sorted({path.parent for path in EXAMPLES_DIR.glob("*/*/*.py")}):
        relative = folder.relative_to(EXAMPLES_DIR).as_posix()
        target = Path(app.outdir) / LISTINGS / f"{relative}.zip"
        target.parent.mkdir(parents=True, exist_ok=True)
        files = folder_files(folder)
        newest = max(path.stat().st_mtime for path in [*files, Path(__file__)])
        if target.is_file() and target.stat().st_mtime >= newest:
            continue  # unchanged since the last build
        programs = [path.name for path in files if path.suffix == ".py" and path.parent == folder]
        readme = "\n".join([words(app)["how_to_run"], "", f"    pip install tornado=={tornado.version}", ""]
                           + [f"    python {name} --port=8888" for name in programs]) + "\n"  # fmt: skip
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            top = folder.name
            archive.writestr(f"{top}/README.txt", readme)
            for path in files:
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")


def setup(app):
    app.add_transform(CaptionExampleFiles)
    app.connect("doctree-read", remember_excerpts)
    app.connect("env-purge-doc", forget_excerpts)
    app.connect("env-merge-info", merge_excerpts)
    app.connect("doctree-resolved", link_whole_files)
    app.connect("html-page-context", note_written_page)
    app.connect("html-collect-pages", whole_file_pages)
    app.connect("build-finished", write_zips)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
