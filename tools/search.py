"""Search with Pagefind: an index per language, built right after Sphinx writes the site.

Sphinx's own browser search does not segment a Chinese query (真实IP finds nothing while
真实 IP works) and drops numbers (403). Pagefind's extended build segments Chinese both
when it indexes and when it searches, keeps numbers and API names, weights headings above
body text, and loads only the index fragments a query needs. The search page
(docs/_templates/search.html with docs/_static/search.js) keeps Sphinx's address,
search.html?q=..., so the sidebar's search box works unchanged.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from docutils import nodes

# Only the article is indexed: not the navigation, and not the English originals that
# zh_CN pages carry hidden under each paragraph.
ROOT_SELECTOR = "#furo-main-content"
EXCLUDE_SELECTORS = [".guide-original", ".headerlink", ".original-toggle"]
INDEX_FOLDER = "_pagefind"


def index_command(site: Path) -> list[str]:
    return [
        sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", INDEX_FOLDER,
        "--root-selector", ROOT_SELECTOR, "--include-characters", "_", "--silent",
        *(arg for selector in EXCLUDE_SELECTORS for arg in ("--exclude-selectors", selector)),
    ]  # fmt: skip


def index_site(site: Path) -> None:
    """Write the Pagefind index of one built language into SITE/_pagefind/."""
    result = subprocess.run(index_command(site), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind could not index {site}:\n{result.stdout}{result.stderr}")


def _ids_on_headings(app, doctree, docname) -> None:
    """Give each section's ids to its heading: Pagefind links a match to the heading
    with an id above it, and Sphinx puts the ids on the enclosing <section>."""
    if app.builder.format != "html":
        return
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        if title is not None and title.parent is section and section["ids"]:
            title["ids"] = section["ids"] + title["ids"]
            section["ids"] = []


def _index_after_build(app, exception) -> None:
    if exception is None and app.builder.format == "html" and app.builder.name != "singlehtml":
        index_site(Path(app.outdir))


def setup(app):
    app.connect("build-finished", _index_after_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
