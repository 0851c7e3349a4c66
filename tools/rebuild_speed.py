"""Costs that every rebuild paid for nothing, removed (Sphinx extension).

- MyST makes a throwaway docutils document, parsing all of docutils' settings afresh, each
  time it renders a text, even when it is handed the document to render into; Sphinx's
  translation renders every message of a page that way (a hundred a page, a tenth of a
  second). The settings are now parsed once per parser and copied.
- Jinja compiled the theme's templates again in every build. They are now kept compiled
  beside Sphinx's pickles; Jinja checks each template's source before using its copy.
- Sphinx rereads an inventory kept in a local file (ours are, tools/inventories/) on every
  build, yet pickled the environment with three copies of each: Python's 15,000 names made
  the pickle 2.4 MB, written and read again by every build of every language. When every
  inventory is local, they are left out of the pickle.
- A translated text is parsed as a document of its own (Sphinx's translation, and the
  English originals of tools/sphinx_guide.py), and its nodes, moved into the page, kept
  pointing at that throwaway document, which was pickled with the page: a zh_CN page's
  pickle was 2.8 MB where the English one is 0.1 MB, and reading and writing the pickles
  was a large part of a zh_CN rebuild. Every node now belongs to its page's document.
"""

from __future__ import annotations

import copy
from pathlib import Path

from sphinx.transforms import SphinxTransform


def share_default_settings() -> None:
    from docutils.frontend import get_default_settings
    from docutils.utils import new_document
    from myst_parser.mdit_to_docutils import base

    if getattr(base.make_document, "shares_settings", False):
        return
    defaults = {}

    def make_document(source_path="notset", parser_cls=base.RSTParser):
        if parser_cls not in defaults:
            defaults[parser_cls] = get_default_settings(parser_cls)
        return new_document(source_path, settings=copy.copy(defaults[parser_cls]))

    make_document.shares_settings = True
    base.make_document = make_document


def keep_compiled_templates(app) -> None:
    from jinja2 import FileSystemBytecodeCache

    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        folder = Path(app.doctreedir) / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


INVENTORY_ATTRIBUTES = ("intersphinx_cache", "intersphinx_inventory", "intersphinx_named_inventory")


def pickle_without_local_inventories() -> None:
    from sphinx.environment import BuildEnvironment

    if getattr(BuildEnvironment.__getstate__, "drops_local_inventories", False):
        return
    pickled_state = BuildEnvironment.__getstate__

    def __getstate__(self):
        state = pickled_state(self)
        if state.get("guide_inventories_are_local"):
            for name in INVENTORY_ATTRIBUTES:
                state.pop(name, None)
        return state

    __getstate__.drops_local_inventories = True
    BuildEnvironment.__getstate__ = __getstate__


def note_whether_inventories_are_local(app) -> None:
    """Sphinx's own test (sphinx.ext.intersphinx._load): a location without :// is read every time."""
    locations = [
        location
        for _name, (_uri, project_locations) in app.config.intersphinx_mapping.values()
        for location in project_locations
    ]
    app.env.guide_inventories_are_local = all(location and "://" not in location for location in locations)


class AdoptEveryNode(SphinxTransform):
    default_priority = 999  # after every other transform, before the page is pickled

    def apply(self) -> None:
        for node in self.document.findall():
            node.document = self.document


def setup(app):
    share_default_settings()
    pickle_without_local_inventories()
    app.connect("builder-inited", keep_compiled_templates)
    app.connect("builder-inited", note_whether_inventories_are_local)
    app.add_transform(AdoptEveryNode)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
