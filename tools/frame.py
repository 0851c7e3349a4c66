"""The frame around each page: canonical and og:url addresses, the date a page last changed,
links into Python's own documentation, and, where the repository is known, links to
view the sources, edit the page (its catalog on a translated page) and send feedback.

The repository's address comes from GUIDE_REPOSITORY_URL, or on Read the Docs from the
clone URL it builds (READTHEDOCS_GIT_CLONE_URL); without one, those three links are left
out rather than pointing somewhere made up.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from functools import cache
from html import escape
from urllib.parse import quote

from tools.inventory import PYTHON_VERSION, inventory_file
from tools.languages import SOURCE_LANGUAGE
from tools.languages import language as language_row
from tools.project import DOCS_DIR, EXAMPLES_DIR, ROOT, catalog

PYTHON_DOCS = {"en": "https://docs.python.org/3/", "zh": "https://docs.python.org/zh-cn/3/"}
WORDS = {
    "en": {"updated": "{d:%-d %B %Y}", "feedback": "Report a problem with this page", "source": "Source of this guide"},
    "zh": {"updated": "{d.year} 年 {d.month} 月 {d.day} 日", "feedback": "报告本页的问题", "source": "本指南的源代码"},
}


# Footer icons: angle brackets for the sources, a speech bubble for feedback.
SOURCE_ICON = (
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">'
    '<path d="M8 6l-6 6 6 6M16 6l6 6-6 6"/></svg>'
)
FEEDBACK_ICON = (
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">'
    '<path d="M4 4h16v12H9l-5 4z"/></svg>'
)


def words(language: str) -> dict[str, str]:
    return WORDS[language_row(language).browser_prefix]


def repository_url() -> str | None:
    """The repository's web address, from GUIDE_REPOSITORY_URL or Read the Docs' clone URL."""
    url = os.environ.get("GUIDE_REPOSITORY_URL") or os.environ.get("READTHEDOCS_GIT_CLONE_URL") or ""
    url = url.strip().removesuffix("/").removesuffix(".git")
    if url.startswith("git@") and ":" in url:  # git@host:owner/name
        host, path = url[4:].split(":", 1)
        url = f"https://{host}/{path}"
    return url if url.startswith("https://") else None


def branch() -> str:
    return os.environ.get("READTHEDOCS_GIT_IDENTIFIER") or os.environ.get("GUIDE_REPOSITORY_BRANCH") or "main"


def page_sources(pagename: str, language: str) -> list[str]:
    """The files whose change changes a page: its text, its examples and, translated, its catalog."""
    sources = [str((DOCS_DIR / pagename).with_suffix(".md").relative_to(ROOT))]
    if (EXAMPLES_DIR / pagename).is_dir():
        sources.append(str((EXAMPLES_DIR / pagename).relative_to(ROOT)))
    if language != SOURCE_LANGUAGE:
        sources.append(str(catalog(language, pagename).relative_to(ROOT)))
    return sources


@cache
def last_changed(sources: tuple[str, ...]) -> date | None:
    """The date of the last commit that touched any of the files, or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", *sources], cwd=ROOT, capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return date.fromisoformat(out) if out else None


def edit_path(pagename: str, language: str) -> str:
    """What a contributor edits to change a page: the Markdown, or the catalog of a translation."""
    if language == SOURCE_LANGUAGE:
        return str((DOCS_DIR / pagename).with_suffix(".md").relative_to(ROOT))
    return str(catalog(language, pagename).relative_to(ROOT))


def add_python_inventory(app, config) -> None:
    prefix = language_row(config.language).browser_prefix
    docs = PYTHON_DOCS.get(prefix, PYTHON_DOCS["en"])
    config.intersphinx_mapping["python"] = (docs, str(inventory_file("python", PYTHON_VERSION)))


def set_base_url(app, config) -> None:
    from tools.sphinx_guide import site_base_url

    config.html_baseurl = site_base_url(config.language)


def add_frame(app, pagename, templatename, context, doctree) -> None:
    if app.builder.name != "html" or doctree is None:
        return
    language = app.config.language
    changed = last_changed(tuple(page_sources(pagename, language)))
    context["last_updated"] = words(language)["updated"].format(d=changed) if changed else None
    url = f"{app.config.html_baseurl}{pagename}.html"
    context["metatags"] = context.get("metatags", "") + f'<meta property="og:url" content="{escape(url)}">\n'
    repository = repository_url()
    if repository:
        context["theme_source_edit_link"] = f"{repository}/edit/{branch()}/{edit_path(pagename, language)}"
        context["theme_source_view_link"] = f"{repository}/blob/{branch()}/{edit_path(pagename, language)}"
        title = quote(f"{pagename} ({language})")
        context["theme_footer_icons"] = [
            {"name": words(language)["source"], "url": repository, "html": SOURCE_ICON, "class": "guide-repository"},
            {"name": words(language)["feedback"], "url": f"{repository}/issues/new?title={title}", "html": FEEDBACK_ICON,
             "class": "guide-feedback"},
        ]  # fmt: skip


def setup(app):
    app.connect("config-inited", add_python_inventory)
    app.connect("config-inited", set_base_url)
    app.connect("html-page-context", add_frame)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
