"""The zh_CN catalogs: complete, current, well-formed, well-spaced, and faithful to the glossary."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import autocorrect_py
import pytest
from babel.messages.pofile import read_po

from tools import code_comments, site

LANGUAGE = "zh_CN"
WHOLE_FILES_DOMAIN = code_comments.WHOLE_FILES_DOMAIN
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
    """Every page's catalog, and the one of the comments that only whole-file pages show."""
    pages = {page: site.catalog(LANGUAGE, page) for page in site.pages()}
    return pages | {WHOLE_FILES_DOMAIN: code_comments.whole_files_catalog(LANGUAGE)}


def test_every_page_has_one_catalog_and_no_catalog_is_orphaned(catalogs):
    missing = [str(p.relative_to(site.ROOT)) for p in catalogs.values() if not p.is_file()]
    assert not missing, f"pages without a catalog (run make update-po): {missing}"
    on_disk = set((site.LOCALE_DIR / LANGUAGE / "LC_MESSAGES").rglob("*.po"))
    theme = {site.LOCALE_DIR / LANGUAGE / "LC_MESSAGES" / "sphinx.po"}  # the theme's words, not a page's
    orphans = sorted(str(p.relative_to(site.ROOT)) for p in on_disk - set(catalogs.values()) - theme)
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
        if page == WHOLE_FILES_DOMAIN:
            continue  # test_the_whole_files_catalog_holds_the_comments_no_page_shows
        template = {m.id for m in load(pot_dir / f"{page}.pot") if m.id}
        translated = {m.id for m in messages(path)}
        for text in sorted(template - translated):
            problems.append(f"{path.relative_to(site.ROOT)}: new English text not in the catalog: {text[:70]!r}")
        for text in sorted(translated - template):
            problems.append(f"{path.relative_to(site.ROOT)}: text no longer on the page: {text[:70]!r}")
        for text in load(path).obsolete:
            problems.append(f"{path.relative_to(site.ROOT)}: obsolete entry, which make update-po drops: {text[:70]!r}")
    assert not problems, "run make update-po and translate:\n" + "\n".join(problems)


def test_the_whole_files_catalog_holds_the_comments_no_page_shows():
    """_examples.po holds exactly the comments of shown example files that no page's catalog has."""
    path = code_comments.whole_files_catalog(LANGUAGE)
    wanted = set(code_comments.messages_outside_the_pages(LANGUAGE))
    held = {m.id for m in messages(path)}
    assert len(wanted) >= 50, "the whole-file pages should have comments outside the excerpts"
    problems = [f"new comment not in the catalog: {text[:70]!r}" for text in sorted(wanted - held)]
    problems += [f"comment no longer in the examples: {text[:70]!r}" for text in sorted(held - wanted)]
    assert not problems, f"run make update-po and translate {path.relative_to(site.ROOT)}:\n" + "\n".join(problems)


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
        if span.group(0).startswith("{doc}"):
            continue  # a link shows words, not code: see test_links_are_spaced_only_between_chinese_and_latin_text
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
    assert code_touching_chinese("运行 {py:func}`~tornado.options.define`即可") == [
        " {py:func}`~tornado.options.define`即"
    ]
    assert code_touching_chinese("得到 `你好`，以及 `x`。") == []
    assert code_touching_chinese("详见{doc}`processes`。") == []


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
    # Not inside a dotted name (concurrent.futures, tornado.queues.Queue): that is code.
    return re.compile(rf"(?<![\w.-]){words}(?:s|es)?(?![\w-]|\.\w)", flags)


def test_the_glossary_check_reads_prose_not_dotted_names():
    assert _term_pattern("queue").search("put it in a queue. Then") and _term_pattern("queue").search("two queues")
    assert not _term_pattern("queue").search("tornado.queues.Queue.get")
    assert not _term_pattern("concurrent").search("an executor from concurrent.futures")


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


def test_a_broken_catalog_entry_stops_the_build_with_file_and_line(tmp_path):
    """Sphinx would skip the broken entry silently; the build names it instead."""
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "Hello"\nmsgstr "你好"\n\nmsgid "World"\nmsgstr "世界\n', encoding="utf-8")
    errors = site.catalog_errors([broken])
    assert len(errors) == 1 and f"{broken}:" in errors[0] and "end-of-line within string" in errors[0], errors
    assert site.catalog_errors([site.catalog(LANGUAGE, "index")]) == []


# ---------------------------------------------------------------- the style guide (locale/zh_CN/STYLE.md)
#
# The words the guide fixes are in one table, locale/zh_CN/style-words.tsv: the English word,
# the Chinese rendering, a regular expression for the renderings to avoid, and a wrong and a
# right sample sentence (the table checks itself against its samples).

import csv  # noqa: E402
import posixpath  # noqa: E402

STYLE_DIR = site.LOCALE_DIR / LANGUAGE
STYLE_GUIDE = STYLE_DIR / "STYLE.md"
STYLE_WORDS = STYLE_DIR / "style-words.tsv"
THEME_CATALOG = STYLE_DIR / "LC_MESSAGES" / "sphinx.po"
CJK_CHAR = re.compile(f"[{CJK}]")
# "answers 403", copied: 应答/回答/作答/答复 right before a status code, or 以 403 ... 作答.
STATUS_ANSWER = re.compile(
    r"(?:应答|回答|作答|答复)(?:是|为|以)?\s*`?[1-5]\d\d(?!\d)"
    r"|以\s*`?[1-5]\d\d(?!\d)[^。；]{0,30}?(?:应答|作答|回答|答复)"
    r"|得到\s*`?[1-5]\d\d(?!\d)[^。；，]{0,20}?的(?:应答|回答|答复)"
)
DOC_ROLE = re.compile(r"\{doc\}`(?P<body>[^`]+)`")
MARKDOWN_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")


def style_words() -> list[dict[str, str]]:
    with STYLE_WORDS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for line, row in enumerate(rows, start=2):
        assert set(row) == {"english", "chinese", "avoid", "wrong", "right"} and all(row.values()), (
            f"{STYLE_WORDS.relative_to(site.ROOT)}:{line}: each row needs english, chinese, avoid, wrong and right, "
            "separated by tabs"
        )
        row["line"] = line
        row["pattern"] = re.compile(row["avoid"], re.MULTILINE)
    return rows


def checked_text(text: str) -> str:
    """A translation as the word checks read it: code spans blanked out (code stays English)."""

    def blank(span: re.Match) -> str:
        return (
            span.group(0) if re.fullmatch(r"`[1-5]\d\d(?: [^`]*)?`", span.group(0)) else "`code`"
        )  # `304 Not Modified` stays

    return CODE_SPAN.sub(blank, LINK_TARGET.sub("](link)", text))


def word_problems(text: str, words) -> list[str]:
    found = []
    plain = checked_text(text)
    for row in words:
        for match in row["pattern"].finditer(plain):
            found.append(f"{match.group(0)!r} for {row['english']!r}: write {row['chinese']}")
    for match in STATUS_ANSWER.finditer(plain):
        found.append(f"{match.group(0)!r}: a status code is returned: write 返回 NNN")
    return found


def style_catalogs() -> list[Path]:
    return [site.catalog(LANGUAGE, page) for page in site.pages()] + [THEME_CATALOG]


@pytest.fixture(scope="module")
def words():
    return style_words()


@pytest.mark.parametrize("page", site.pages())
def test_recurring_words_have_one_rendering(page, words):
    path = site.catalog(LANGUAGE, page)
    problems = [
        f"{where(path, message)}: {problem}"
        for message in messages(path)
        for problem in word_problems(message.string, words)
    ]
    assert not problems, "renderings that locale/zh_CN/STYLE.md rules out:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", [THEME_CATALOG, code_comments.whole_files_catalog(LANGUAGE)], ids=lambda p: p.stem)
def test_the_theme_and_whole_files_catalogs_follow_the_style_guide_too(path, words):
    problems = [
        f"{where(path, message)}: {problem}"
        for message in messages(path)
        for problem in word_problems(message.string, words)
    ]
    assert not problems, "\n".join(problems)


def test_each_word_rule_catches_its_wrong_sample_and_passes_its_right_one(words):
    for row in words:
        where_ = f"{STYLE_WORDS.relative_to(site.ROOT)}:{row['line']}"
        assert row["pattern"].search(checked_text(row["wrong"])), f"{where_}: the rule misses its own wrong sample"
        # The right sample must pass every rule, not only its own: the rules must not contradict each other.
        assert not word_problems(row["right"], words), (
            f"{where_}: the right sample breaks {word_problems(row['right'], words)}"
        )


def test_the_answer_nnn_check_catches_copied_phrasing():
    bad = [
        "装饰器则回答 403 Forbidden。",
        "服务器就回答 `304 Not Modified`",
        "以 202（Accepted）作答",
        "对 `%00` 的回答是 `500 ",
    ]
    for text in bad:
        assert any("返回 NNN" in p for p in word_problems(text, [])), text
    for text in ["装饰器则返回 403 Forbidden。", "客户端收到 403，状态码 404 表示找不到。"]:
        assert word_problems(text, []) == [], text


def test_the_style_guide_names_every_word_of_its_table(words):
    guide = STYLE_GUIDE.read_text(encoding="utf-8")
    for row in words:
        for chinese in re.split(r"[、；（）]", row["chinese"]):
            if chinese.strip():
                assert chinese.strip() in guide, f"STYLE.md does not mention {chinese!r} ({row['english']})"


# ---------------------------------------------------------------- spacing around links


def page_titles() -> dict[str, str]:
    """The Chinese title of every page: what a {doc} link without its own text shows."""
    titles = {}
    for page in site.pages():
        source = (site.DOCS_DIR / f"{page}.md").read_text(encoding="utf-8")
        heading = re.search(r"^# (.+)$", source, re.MULTILINE)
        path = site.catalog(LANGUAGE, page)
        if heading is None or not path.is_file():
            continue
        for message in messages(path):
            if message.id == heading.group(1).strip() and message.string:
                titles[page] = message.string
    return titles


def links(text: str, page: str, titles: dict[str, str]):
    """(start, end, shown text) of each link in a translation; the text is None when unknown."""
    for match in DOC_ROLE.finditer(text):
        body = match.group("body")
        explicit = re.fullmatch(r"(.*?)\s*<([^<>]+)>", body, re.DOTALL)
        if explicit:
            shown = explicit.group(1)
        else:
            target = body.lstrip("~")
            docname = (
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
            )
            shown = titles.get(docname)
        yield match.start(), match.end(), shown
    for match in MARKDOWN_LINK.finditer(text):
        yield match.start(), match.end(), match.group("text")


def link_spacing_problems(text: str, page: str, titles: dict[str, str]) -> list[str]:
    """Links spaced against the rule: no space where Chinese meets Chinese, one where Chinese meets Latin."""
    found = []
    for start, end, shown in links(text, page, titles):
        if not shown:
            continue
        before, after = text[:start], text[end:]
        snippet = text[max(start - 2, 0) : end + 2]
        if CJK_CHAR.match(shown[0]) and re.search(f"[{CJK}] +$", before):
            found.append(f"space between Chinese and the Chinese link text: {snippet!r}")
        if CJK_CHAR.match(shown[-1]) and re.match(f" +[{CJK}]", after):
            found.append(f"space between the Chinese link text and Chinese: {snippet!r}")
        if re.match(r"[A-Za-z0-9]", shown[0]) and re.search(f"[{CJK}]$", before):
            found.append(f"no space between Chinese and the Latin link text: {snippet!r}")
        if re.match(r"[A-Za-z0-9]", shown[-1]) and re.match(f"[{CJK}]", after):
            found.append(f"no space between the Latin link text and Chinese: {snippet!r}")
    return found


@pytest.fixture(scope="module")
def titles():
    return page_titles()


@pytest.mark.parametrize("page", site.pages())
def test_links_are_spaced_only_between_chinese_and_latin_text(page, titles):
    path = site.catalog(LANGUAGE, page)
    problems = [
        f"{where(path, message)}: {problem}"
        for message in messages(path)
        for problem in link_spacing_problems(message.string, page, titles)
    ]
    assert not problems, "link spacing (locale/zh_CN/STYLE.md, section 2):\n" + "\n".join(problems)


def test_the_link_spacing_check_reads_the_shown_text():
    titles = {"part5/xsrf": "XSRF 防护", "part6/processes": "启动和运行服务器"}
    assert link_spacing_problems("{doc}`xsrf` 一页会解释。", "part5/authentication", titles)
    assert not link_spacing_problems("{doc}`xsrf`一页会解释。", "part5/authentication", titles)
    assert link_spacing_problems("详见 {doc}`../part6/processes`。", "part6/performance", titles)
    assert not link_spacing_problems("详见{doc}`../part6/processes`。", "part6/performance", titles)
    assert link_spacing_problems("见{doc}`xsrf`。", "part5/authentication", titles)  # Chinese against Latin
    assert link_spacing_problems("参见 {doc}`防护 <xsrf>` 一页", "part5/authentication", titles)
    assert not link_spacing_problems("参见{doc}`防护 <xsrf>`一页", "part5/authentication", titles)
    assert link_spacing_problems("见 [防护](xsrf.md) 一页", "part5/authentication", titles)
    assert not link_spacing_problems("见 [Tornado](https://www.tornadoweb.org/) 一页", "index", titles)


# ---------------------------------------------------------------- catalog headers


def test_every_catalog_header_names_the_project_the_team_and_the_language():
    from tools import po_headers

    problems = [
        f"{path.relative_to(site.ROOT)}: {p}" for path in po_headers.catalogs() for p in po_headers.problems(path)
    ]
    assert not problems, "run python -m tools.po_headers:\n" + "\n".join(problems)


def test_the_header_check_catches_the_template_header_and_the_tool_fills_it():
    from tools import po_headers

    template = site.catalog(LANGUAGE, "index")
    text = template.read_text(encoding="utf-8")
    body = text[text.index("\n\n") :]
    stale = (
        "# SOME DESCRIPTIVE TITLE.\n# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER\n"
        '# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.\n#\nmsgid ""\nmsgstr ""\n'
        '"Project-Id-Version: PACKAGE VERSION\\n"\n"Report-Msgid-Bugs-To: \\n"\n'
        '"POT-Creation-Date: 2026-11-22 02:59+0000\\n"\n"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"\n'
        '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"\n"Language-Team: LANGUAGE <LL@li.org>\\n"\n'
        '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=utf-8\\n"'
    ) + body
    filled = po_headers.filled(stale, template)
    assert any("SOME DESCRIPTIVE TITLE" in p for p in po_headers.problems(template, stale))
    assert any("Language-Team" in p for p in po_headers.problems(template, stale))
    assert po_headers.problems(template, filled) == []
    assert filled.endswith(body), "the tool changed more than the header"
    assert po_headers.filled(filled, template) == filled, "filling a filled header changes it"


def test_sphinx_intl_keeps_a_filled_header(tmp_path):
    """update-po merges with sphinx-intl (Babel), which rewrites the whole file: the filled
    header must come out unchanged (so it is short enough never to be rewrapped)."""
    from babel.messages.catalog import Catalog
    from sphinx_intl import catalog as intl

    from tools import po_headers

    for page in ("part2/blocking-and-non-blocking", "index"):
        real = site.catalog(LANGUAGE, page)
        copy = tmp_path / "copy.po"
        copy.write_text(po_headers.filled(real.read_text(encoding="utf-8"), real), encoding="utf-8")
        template = Catalog()
        for message in intl.load_po(str(copy)):
            if message.id:
                template.add(message.id, locations=message.locations)
        template.add("A new paragraph")
        merged = intl.load_po(str(copy))
        intl.update_with_fuzzy(merged, template)
        intl.dump_po(str(copy), merged, width=76, ignore_obsolete=True)
        problems = [
            p for p in po_headers.problems(real, copy.read_text(encoding="utf-8")) if "POT-Creation-Date" not in p
        ]
        assert problems == [], page


# ---------------------------------------------------------------- the theme's words


def furo_messages() -> set[str]:
    """Every message Furo's templates pass through gettext (_() and {% trans %}), as Sphinx renders them."""
    import furo
    from jinja2.ext import babel_extract

    found = set()
    for template in (Path(furo.__file__).parent / "theme" / "furo").rglob("*.html"):
        with template.open("rb") as f:
            for _, _, message, _ in babel_extract(f, ("_", "gettext", "ngettext"), [], {}):
                found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_the_theme_catalog_translates_every_word_of_furo():
    from tools import theme_words

    translated = {m.id: m.string for m in messages(THEME_CATALOG)}
    wanted = furo_messages() | set(theme_words.every_word())
    assert "On this page" in wanted and "Toggle site navigation sidebar" in wanted
    missing = sorted(w for w in wanted if not translated.get(w))
    assert not missing, f"{THEME_CATALOG.relative_to(site.ROOT)} lacks: {missing}"
    for english, chinese in translated.items():
        assert sorted(re.findall(r"%\(\w+\)s|%s", english)) == sorted(re.findall(r"%\(\w+\)s|%s", chinese)), english
        assert re.findall(r"<[^>]+>", english) == re.findall(r"<[^>]+>", chinese), english


def english_fragments(message: str) -> list[str]:
    """The English words of a theme message as a page shows them: tags, placeholders and names set aside."""
    from html import unescape

    text = unescape(re.sub(r"<[^>]+>", " ", message))
    parts = re.split(r"%\(\w+\)s|%s", text)
    names = {"Sphinx", "Furo", "JavaScript"}
    fragments = []
    for part in parts:
        part = " ".join(part.split())
        # A word of two letters or more, or the possessive 's: a lone "v" (of "v6.6") is no English.
        if (re.search("[A-Za-z]{2}", part) or part == "'s") and part not in names:
            fragments.append(part)
    return fragments


def theme_english_on_page(html: str, fragments: list[str]) -> list[str]:
    """The theme's English fragments found on a page: in the text around the article, and in
    the labels and titles anywhere (the article's own text is test_site.py's business)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    labels = [
        value
        for tag in soup.find_all(True)
        for name in ("aria-label", "title", "placeholder", "alt")
        if isinstance(value := tag.get(name), str)
    ]
    labels += [title.get_text() for title in soup.select("svg title, symbol title")]
    article = soup.find("article")
    if article is not None:
        article.decompose()
    for hidden in soup.select("script, style, svg"):
        hidden.decompose()
    texts = [" ".join(t.split()) for t in soup.find_all(string=True)] + labels
    texts.append(" ".join(soup.get_text(" ").split()))  # words split over elements: "<a>Sphinx</a> and"
    found = []
    for fragment in fragments:
        left = r"(?<![A-Za-z])" if fragment[0].isalpha() else ""
        right = r"(?![A-Za-z])" if fragment[-1].isalpha() else ""
        pattern = re.compile(left + re.escape(fragment) + right)
        shown = next((text for text in texts if pattern.search(text)), None)
        if shown is not None:
            found.append(f"{fragment!r} in {shown[:80]!r}")
    return found


def test_the_theme_check_finds_english_theme_words():
    messages_ = (
        "Back to top",
        "Made with ",
        "%(author)s's",
        "Toggle navigation of %(title)s",
        '<a href="x">Sphinx</a> and ',
    )
    fragments = [f for m in messages_ for f in english_fragments(m)]
    page = (
        '<html><body><a class="back-to-top"><span>Back to top</span></a>'
        '<input aria-label="Toggle navigation of 第一部分"><article>Back to top</article>'
        "<div>Made with <a>Sphinx</a> and <a>@pradyunsg</a>'s Furo</div></body></html>"
    )
    found = theme_english_on_page(page, fragments)
    assert [f.split(" in ")[0] for f in found] == [
        "'Back to top'",
        "'Made with'",
        '"\'s"',
        "'Toggle navigation of'",
        "'Sphinx and'",
    ], found
    assert (
        theme_english_on_page(
            "<html><body><span>回到顶部</span><article>Back to top</article></body></html>", fragments
        )
        == []
    )


def test_no_chinese_page_shows_the_theme_in_english(built_site):
    fragments = sorted({f for m in messages(THEME_CATALOG) for f in english_fragments(m.id)})
    pages = sorted((built_site / LANGUAGE).rglob("*.html"))
    assert len(pages) >= len(site.pages())
    problems = []
    for page in pages:
        for found in theme_english_on_page(page.read_text(encoding="utf-8"), fragments):
            problems.append(f"{page.relative_to(built_site)}: {found}")
    assert not problems, "English theme words on Chinese pages (locale/zh_CN/LC_MESSAGES/sphinx.po):\n" + "\n".join(
        problems[:40]
    )


def test_update_po_gives_a_new_catalog_a_filled_header(tmp_path):
    """sphinx-intl starts a new catalog from gettext's template header; update-po fills it in."""
    import os
    import sys

    from tools import po_headers

    project = site.copy_project(tmp_path / "project")
    catalog = project / site.catalog(LANGUAGE, "index").relative_to(site.ROOT)
    catalog.unlink()
    env = {**os.environ, "GUIDE_BUILD_DIR": str(tmp_path / "build")}
    result = subprocess.run(
        [sys.executable, "-m", "tools.site", "update-po", "index"], cwd=project, env=env, capture_output=True, text=True
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert po_headers.problems(site.catalog(LANGUAGE, "index"), catalog.read_text(encoding="utf-8")) == []
