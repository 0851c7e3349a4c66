"""The zh_CN catalogs: complete, current, well-formed, well-spaced, and faithful to the glossary."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import autocorrect_py
import pytest
from babel.messages.pofile import read_po

from tools import site

LANGUAGE = "zh_CN"
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# Inline code, roles and link targets: text a translator must carry over unchanged.
CODE_SPAN = re.compile(r"(?:\{[\w:.-]+\})?(`+)(?:(?!\1).)+?\1")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")


def load(path: Path):
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def messages(path: Path):
    """The real messages of a catalog (not the header, not obsolete ones)."""
    return [m for m in load(path) if m.id]


def where(path: Path, message) -> str:
    return f"{path.relative_to(site.ROOT)}:{message.lineno}"


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Path]:
    return {page: site.catalog(LANGUAGE, page) for page in site.pages()}


def test_every_page_has_one_catalog_and_no_catalog_is_orphaned(catalogs):
    missing = [str(p.relative_to(site.ROOT)) for p in catalogs.values() if not p.is_file()]
    assert not missing, f"pages without a catalog (run make update-po): {missing}"
    on_disk = set((site.LOCALE_DIR / LANGUAGE / "LC_MESSAGES").rglob("*.po"))
    orphans = sorted(str(p.relative_to(site.ROOT)) for p in on_disk - set(catalogs.values()))
    assert not orphans, f"catalogs for pages that no longer exist: {orphans}"


def test_every_catalog_is_complete_and_has_no_fuzzy_entry(catalogs):
    problems = []
    for path in catalogs.values():
        catalog = load(path)
        if catalog.fuzzy:
            problems.append(f"{path.relative_to(site.ROOT)}: the header is marked fuzzy")
        for message in messages(path):
            if not message.string:
                problems.append(f"{where(path, message)}: untranslated: {message.id[:70]!r}")
            elif message.fuzzy:
                problems.append(f"{where(path, message)}: fuzzy: {message.id[:70]!r}")
    assert not problems, "\n".join(problems)


def test_msgfmt_check_passes(catalogs, tmp_path):
    for path in catalogs.values():
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "out.mo"), str(path)],
            capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 0, f"{path.relative_to(site.ROOT)}:\n{result.stderr}"


def test_catalogs_are_up_to_date_with_the_english_pages(catalogs, tmp_path):
    """Regenerating the templates and merging them would change no message."""
    pot_dir = tmp_path / "gettext"
    command = site.sphinx_command(site.SOURCE_LANGUAGE, pot_dir, builder="gettext")
    command[command.index("-d") + 1] = str(tmp_path / "doctrees")
    subprocess.run(command, cwd=site.ROOT, check=True)
    problems = []
    for page, path in catalogs.items():
        template = {m.id for m in load(pot_dir / f"{page}.pot") if m.id}
        translated = {m.id for m in messages(path)}
        for text in sorted(template - translated):
            problems.append(f"{path.relative_to(site.ROOT)}: new English text not in the catalog: {text[:70]!r}")
        for text in sorted(translated - template):
            problems.append(f"{path.relative_to(site.ROOT)}: text no longer on the page: {text[:70]!r}")
        for text in load(path).obsolete:
            problems.append(f"{path.relative_to(site.ROOT)}: obsolete entry, which make update-po drops: {text[:70]!r}")
    assert not problems, "run make update-po and translate:\n" + "\n".join(problems)


def test_chinese_text_is_spaced_and_punctuated_as_autocorrect_wants(catalogs):
    problems = []
    for path in catalogs.values():
        for message in messages(path):
            fixed = autocorrect_py.format_for(message.string, "message.md")
            if fixed != message.string:
                problems.append(f"{where(path, message)}:\n  is:        {message.string}\n  should be: {fixed}")
    assert not problems, "\n".join(problems)


def code_touching_chinese(text: str) -> list[str]:
    """Inline code spans with a Chinese character right before or right after them."""
    cjk = re.compile(f"[{CJK}]")
    found = []
    for span in CODE_SPAN.finditer(text):
        before, after = text[span.start() - 1 : span.start()], text[span.end() : span.end() + 1]
        if cjk.fullmatch(before or " ") or cjk.fullmatch(after or " "):
            found.append(text[max(span.start() - 1, 0) : span.end() + 1])
    return found


def test_code_in_chinese_text_is_set_off_by_spaces(catalogs):
    """autocorrect leaves inline code alone; the guide wants a space between it and Chinese."""
    problems = []
    for path in catalogs.values():
        for message in messages(path):
            for snippet in code_touching_chinese(message.string):
                problems.append(f"{where(path, message)}: {snippet}")
    assert not problems, "put a space between Chinese and inline code:\n" + "\n".join(problems)


def test_the_spacing_check_looks_only_outside_code():
    assert code_touching_chinese("返回`你好`。") == ["回`你好`。"]
    assert code_touching_chinese("运行 {py:func}`~tornado.options.define`即可") == [" {py:func}`~tornado.options.define`即"]
    assert code_touching_chinese("得到 `你好`，以及 `x`。") == []


def test_code_and_links_are_carried_over_unchanged(catalogs):
    problems = []
    for path in catalogs.values():
        for message in messages(path):
            for pattern in (CODE_SPAN, LINK_TARGET):
                wanted = sorted(m.group(0) for m in pattern.finditer(message.id))
                found = sorted(m.group(0) for m in pattern.finditer(message.string))
                if wanted != found:
                    problems.append(f"{where(path, message)}: expected {wanted}, found {found}")
    assert not problems, "\n".join(problems)


def _term_pattern(english: str) -> re.Pattern:
    words = r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", english))
    flags = 0 if any(c.isupper() for c in english) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){words}(?:s|es)?(?![\w-])", flags)


def test_glossary_terms_are_translated_consistently(catalogs):
    terms = [(term, _term_pattern(term.english)) for term in site.glossary()]
    problems = []
    for path in catalogs.values():
        for message in messages(path):
            prose = LINK_TARGET.sub("", CODE_SPAN.sub("", message.id))
            for term, pattern in terms:
                if pattern.search(prose) and term.chinese not in message.string:
                    problems.append(f"{where(path, message)}: {term.english!r} should read {term.chinese!r}")
    assert not problems, "glossary terms (docs/glossary.tsv) translated otherwise:\n" + "\n".join(problems)


def test_glossary_has_one_chinese_term_per_english_term():
    seen: dict[str, str] = {}
    for term in site.glossary():
        key = term.english.lower()
        assert key not in seen, f"{term.english!r} is in the glossary twice"
        seen[key] = term.chinese


def test_jieba_dictionary_holds_every_chinese_glossary_term():
    words = {line.split()[0] for line in site.jieba_dictionary().read_text(encoding="utf-8").splitlines()}
    expected = {word for term in site.glossary() for word in site.chinese_words(term.chinese)}
    assert "框架" in expected and "Web 框架" not in expected
    assert expected <= words


def test_a_broken_catalog_entry_stops_the_build_with_file_and_line(tmp_path):
    """Sphinx would skip the broken entry silently; the build names it instead."""
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "Hello"\nmsgstr "你好"\n\nmsgid "World"\nmsgstr "世界\n', encoding="utf-8")
    errors = site.catalog_errors([broken])
    assert len(errors) == 1 and f"{broken}:" in errors[0] and "end-of-line within string" in errors[0], errors
    assert site.catalog_errors([site.catalog(LANGUAGE, "index")]) == []
