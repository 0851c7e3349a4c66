"""Chinese search without loading jieba's dictionary on every incremental build.

Sphinx's Chinese search splits text with jieba, whose 349,000-word dictionary takes half a
second to load; Sphinx loads it at the start of every build, even one that writes a single
page. This search language gives the same words as Sphinx's (tests/test_tools.py checks it)
and loads the dictionary only when it must:

- each text jieba split before is remembered, per build folder, with the dictionary it was
  split with (the glossary's words are part of it): an unchanged paragraph is not split again;
- text made only of ASCII characters is split by a tokenizer that holds only the dictionary's
  ASCII words (AT&T, C++, ...) and jieba's total frequency: jieba can only use the
  dictionary words found inside the text, so for such text the result is jieba's own.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

from sphinx.search import languages

_STATE: dict = {"file": None, "memo": None, "dirty": False}


def _memo() -> dict:
    if _STATE["memo"] is None:
        memo = {}
        if _STATE["file"] is not None and _STATE["file"].is_file():
            try:
                memo = pickle.loads(_STATE["file"].read_bytes())
            except Exception:  # an unreadable cache is rebuilt
                memo = {}
        _STATE["memo"] = memo
    return _STATE["memo"]


def _fingerprint(dictionary: str | None) -> str:
    import jieba

    digest = hashlib.sha256(jieba.__version__.encode())
    if dictionary and Path(dictionary).is_file():
        digest.update(Path(dictionary).read_bytes())
    return digest.hexdigest()


def prefix_dictionary(words: dict[str, int]) -> dict[str, int]:
    """jieba's form of a dictionary: the words with their frequency, and every prefix of a word at 0."""
    frequencies = dict(words)
    for word in words:
        for end in range(1, len(word)):
            frequencies.setdefault(word[:end], 0)
    return frequencies


def _import_sphinx_chinese_search():
    """Sphinx's Chinese search, which imports jieba: only in a Chinese build.

    jieba tries pkg_resources (a tenth of a second to import) and falls back to open();
    it is hidden while jieba is imported. jieba's DEBUG messages are silenced.
    """
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        from sphinx.search.zh import SearchChinese
    finally:
        if hide:
            del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return SearchChinese


def __getattr__(name: str):
    """RememberingSearchChinese is made on first use (Sphinx imports it by name for Chinese builds only)."""
    if name != "RememberingSearchChinese":
        raise AttributeError(name)
    cls = globals().get("_remembering_class")
    if cls is None:
        cls = globals()["_remembering_class"] = _make_class(_import_sphinx_chinese_search())
    return cls


def _make_class(SearchChinese):
    class RememberingSearchChinese(SearchChinese):
        """Sphinx's SearchChinese, splitting only what it has not split before (see the module docstring)."""

        def init(self, options: dict[str, str]) -> None:
            import snowballstemmer

            self.stemmer = snowballstemmer.stemmer("english")
            self._dictionary = options.get("dict")
            self._jieba_ready = False
            self._ascii_tokenizer = None
            memo = _memo()
            fingerprint = _fingerprint(self._dictionary)
            if memo.get("fingerprint") != fingerprint:
                memo.clear()
                memo.update(fingerprint=fingerprint, segments={}, total=None, ascii_words=None)
                _STATE["dirty"] = True

        def _jieba(self):
            """jieba with its dictionary and ours loaded (the slow part, done at most once)."""
            import jieba

            if not self._jieba_ready:
                if self._dictionary and Path(self._dictionary).is_file():
                    jieba.load_userdict(str(self._dictionary))
                else:
                    jieba.initialize()
                memo = _memo()
                if memo["total"] is None:
                    memo["total"] = jieba.dt.total
                    memo["ascii_words"] = {word: n for word, n in jieba.dt.FREQ.items() if n > 0 and word.isascii()}
                    _STATE["dirty"] = True
                self._jieba_ready = True
            return jieba

        def _ascii(self):
            """A jieba tokenizer holding only the dictionary's ASCII words, or None before the first full load."""
            memo = _memo()
            if self._ascii_tokenizer is None and memo.get("total") is not None:
                import jieba

                tokenizer = jieba.Tokenizer()
                tokenizer.FREQ = prefix_dictionary(memo["ascii_words"])
                tokenizer.total = memo["total"]
                tokenizer.initialized = True
                self._ascii_tokenizer = tokenizer
            return self._ascii_tokenizer

        def cut_for_search(self, text: str) -> list[str]:
            segments = _memo()["segments"]
            words = segments.get(text)
            if words is None:
                ascii_tokenizer = self._ascii() if text.isascii() else None
                if ascii_tokenizer is not None:
                    return list(ascii_tokenizer.cut_for_search(text))
                words = segments[text] = list(self._jieba().cut_for_search(text))
                _STATE["dirty"] = True
            return list(words)

        def split(self, input: str) -> list[str]:
            chinese = self.cut_for_search(input)
            latin1 = [term.strip() for term in self.latin1_letters.findall(input)]
            self.latin_terms.update(latin1)
            return chinese + latin1

    return RememberingSearchChinese


def _locate_cache(app) -> None:
    _STATE.update(file=Path(app.doctreedir) / "chinese-search-segments.pickle", memo=None, dirty=False)


def _save_cache(app, exception) -> None:
    if exception is not None or not _STATE["dirty"] or _STATE["file"] is None:
        return
    path = _STATE["file"]
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(_memo(), pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)
    _STATE["dirty"] = False


def setup(app):
    languages["zh"] = "tools.chinese_search.RememberingSearchChinese"
    app.connect("builder-inited", _locate_cache)
    app.connect("build-finished", _save_cache)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
