"""Build the site: HTML and ePub per language, the gettext templates, the catalogs, the landing page.

Builds are incremental. Sphinx rereads only the pages whose source, included examples or
catalog (its .mo, recompiled when the .po is newer) changed, and rewrites those pages and
their parents in the table of contents. Every page's sidebar shows the titles of all pages,
so when a title or the table of contents changes, tools/sphinx_guide.py has every page
rewritten (see rewrite_everything_when_the_navigation_changes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

from tools.languages import LANGUAGE_TABLE, SOURCE_LANGUAGE, TRANSLATIONS
from tools.project import (
    BUILD_DIR,
    DOCS_DIR,
    EPUB_DIR,
    GETTEXT_DIR,
    HTML_DIR,
    LOCALE_DIR,
    ROOT,
    pages,
    write_if_changed,
)


def doctrees(language: str, builder: str = "html") -> Path:
    """Sphinx's pickled pages and environment for one language and builder (kept between builds)."""
    return BUILD_DIR / "doctrees" / builder / language


def sphinx_command(language: str, outdir: Path, builder: str = "html") -> list[str]:
    """The sphinx-build command line for one language: warnings are errors."""
    return [
        sys.executable, "-m", "sphinx", "build",
        "-b", builder,
        "-c", str(ROOT),
        "-d", str(doctrees(language, builder)),
        "-D", f"language={language}",
        "-W", "--keep-going", "-q",
        # A book is written whole (its table of contents and spine list every page).
        *(["-a"] if builder == "epub" else []),
        str(DOCS_DIR), str(outdir),
    ]  # fmt: skip


def catalog_errors(catalogs: list[Path]) -> list[str]:
    """What msgfmt finds wrong in the catalogs, file and line first; empty when all are valid.

    Sphinx itself skips a broken entry silently, so the build checks first.
    """
    if shutil.which("msgfmt") is None:
        return ["msgfmt is missing: install the Debian package gettext (make does it when run as root)"]
    checks = [
        subprocess.Popen(
            ["msgfmt", "--check", "-o", os.devnull, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in catalogs
    ]
    return [check.stderr.read().strip() for check in checks if check.wait() != 0]


def catalogs_to_check(language: str) -> list[Path]:
    """The catalogs that Sphinx will compile on this build: those newer than their .mo.

    A catalog that failed the check keeps its old .mo (the build did not run), so it is
    checked again on the next build.
    """
    found = []
    for po in sorted((LOCALE_DIR / language / "LC_MESSAGES").rglob("*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or po.stat().st_mtime > mo.stat().st_mtime:
            found.append(po)
    return found


def build(languages: list[str], out: Path | None = None, env: dict[str, str] | None = None, warm=None) -> int:
    """Build each language (in parallel) and return the number of failed builds.

    ENV, if given, is the builds' environment (make serve defers the search index with it).
    WARM, if given, is a tools.warm.WarmSphinx that runs the builds (make serve)."""
    if out is not None and len(languages) != 1:
        raise ValueError("--out takes exactly one language")
    failed, commands = [], []
    for language in languages:
        if language != SOURCE_LANGUAGE:
            errors = catalog_errors(catalogs_to_check(language))
            if errors:
                print("\n".join(errors), file=sys.stderr)
                print(
                    f"error: the {language} catalogs are broken; the {language} site was not rebuilt", file=sys.stderr
                )
                failed.append(language)
                continue
        commands.append((language, sphinx_command(language, out or HTML_DIR / language)))
    codes = None
    if warm is not None and commands:
        try:
            codes = warm.run([command[3:] for _, command in commands])  # without `python -m sphinx`
        except RuntimeError as error:
            print(f"warning: {error}; building without it", file=sys.stderr)
    if codes is None:
        runs = [subprocess.Popen(command, cwd=ROOT, env=env) for _, command in commands]
        codes = [run.wait() for run in runs]
    failed += [language for (language, _), code in zip(commands, codes, strict=True) if code != 0]
    for language in failed:
        print(f"error: the {language} build failed (see the messages above)", file=sys.stderr)
    if out is None:
        write_if_changed(HTML_DIR / "index.html", landing_page().encode("utf-8"))
        not_found = HTML_DIR / SOURCE_LANGUAGE / "404.html"
        if not_found.exists():  # make serve answers a missing address with it
            write_if_changed(HTML_DIR / "404.html", not_found.read_bytes())
    return len(failed)


def landing_page() -> str:
    """The page at the root of a local build: it sends the visitor to the first of their
    browser's languages that the guide has, and links every language for those without
    JavaScript. (Read the Docs has its own root, which redirects to /en/.)"""
    source = LANGUAGE_TABLE[0]
    prefixes = ", ".join(f'["{row.browser_prefix}", "{row.code}"]' for row in LANGUAGE_TABLE)
    links = "\n".join(
        f'  <li><a href="{row.code}/index.html" hreflang="{row.html_lang}"'
        + (f' lang="{row.html_lang}"' if row is not source else "")
        + f">{escape(row.label)}</a></li>"
        for row in LANGUAGE_TABLE
    )
    title = " · ".join(escape(row.site_name) for row in LANGUAGE_TABLE)
    return f"""<!DOCTYPE html>
<html lang="{source.html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="{source.code}/_static/favicon.svg">
<title>{title}</title>
<script>
  // Send the visitor to the first of their browser's languages that the guide has.
  var languages = [{prefixes}];  // browser language prefix, folder
  var wanted = navigator.languages || [navigator.language || "{source.browser_prefix}"];
  var target = "{source.code}";
  search: for (var i = 0; i < wanted.length; i++) {{
    for (var j = 0; j < languages.length; j++) {{
      if (wanted[i].toLowerCase().indexOf(languages[j][0]) === 0) {{ target = languages[j][1]; break search; }}
    }}
  }}
  window.location.replace(target + "/index.html");
</script>
</head>
<body>
<h1>{escape(source.site_name)}</h1>
<ul>
{links}
</ul>
</body>
</html>
"""


def build_epub(languages: list[str], out: Path | None = None) -> int:
    """Make one ePub per language in _build/epub/LANGUAGE/ (and copy the book into OUT).

    Return the number that failed."""
    runs = [
        (language, subprocess.Popen(sphinx_command(language, EPUB_DIR / language, "epub"), cwd=ROOT))
        for language in languages
    ]
    failed = [language for language, run in runs if run.wait() != 0]
    for language in failed:
        print(f"error: the {language} ePub failed (see the messages above)", file=sys.stderr)
    if out is not None and not failed:
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(epub_file(languages[0]), out)
    return len(failed)


def epub_file(language: str) -> Path:
    return EPUB_DIR / language / "tornado-guide.epub"


def extract_messages() -> int:
    """Write one gettext template (.pot) per English page into _build/gettext/."""
    return subprocess.call(sphinx_command(SOURCE_LANGUAGE, GETTEXT_DIR, builder="gettext"), cwd=ROOT)


def update_catalogs(selected: list[str] | None = None) -> int:
    """Merge fresh templates into the translations' catalogs, for every page or only the selected ones.

    The templates are made in a private folder, so several people (or helpers) can
    update the catalogs of different pages at the same time without clobbering each other.
    """
    unknown = sorted(set(selected or []) - set(pages()))
    if unknown:
        print(
            f"error: no such page: {', '.join(unknown)} (pages are named like part1/first-application)", file=sys.stderr
        )
        return 2
    # The templates go one level below the repository's own _build/ (even when
    # GUIDE_BUILD_DIR moves the build elsewhere), as in `make gettext`, so that the source
    # locations they record (../../docs/page.md) read the same in every catalog.
    templates_parent = ROOT / "_build"
    templates_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gettext-", dir=templates_parent) as templates_dir, \
            tempfile.TemporaryDirectory(prefix="guide-gettext-") as tmp:  # fmt: skip
        templates, chosen = Path(templates_dir), Path(tmp, "chosen")
        command = sphinx_command(SOURCE_LANGUAGE, templates, builder="gettext")
        command[command.index("-d") + 1] = str(Path(tmp, "doctrees"))
        if subprocess.call(command, cwd=ROOT) != 0:
            return 1
        for page in selected or pages():
            target = chosen / f"{page}.pot"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(templates / f"{page}.pot", target)
        languages = [arg for language in TRANSLATIONS for arg in ("-l", language)]
        intl = [
            sys.executable,
            "-m",
            "sphinx_intl",
            "update",
            "--pot-dir",
            str(chosen),
            "--locale-dir",
            str(LOCALE_DIR),
        ]
        if subprocess.call([*intl, *languages, "--no-obsolete"], cwd=ROOT) != 0:
            return 1
    from tools import po_headers  # sphinx-intl starts a new catalog from gettext's template header
    from tools.code_comments import update_whole_files_catalog

    po_headers.fill_pages(selected or pages())
    # The comments that only the whole-file pages show (tools/code_comments.py).
    po_headers.fill([update_whole_files_catalog(language) for language in TRANSLATIONS])
    return 0
