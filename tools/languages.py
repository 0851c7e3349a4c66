"""The one table of the guide's languages, and the address `make serve` serves them at.

Everything that differs between languages comes from LANGUAGE_TABLE: the Makefile
(`python -m tools.languages`), the build, the landing page, the language switcher, the
hreflang alternates, the sitemap, the ePub's language tag, the PDF's title and punctuation,
Read the Docs' names, and the tests. Adding a language is one row here plus its catalogs
in locale/<code>/LC_MESSAGES/.

Usage:

    python -m tools.languages                 # every code, space-separated: en zh_CN
    python -m tools.languages --translations  # the translated ones only: zh_CN
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

# Where `make serve` listens, and so the base of absolute URLs in a local build
# (Read the Docs builds use READTHEDOCS_CANONICAL_URL instead).
LOCAL_HOST = "127.0.0.1"
LOCAL_PORT = 8000
LOCAL_URL = f"http://{LOCAL_HOST}:{LOCAL_PORT}"


@dataclass(frozen=True)
class Language:
    code: str  # Sphinx's name, and the folder in _build/html/ and locale/: zh_CN
    readthedocs: str  # the name in Read the Docs URLs and READTHEDOCS_LANGUAGE: zh-cn
    html_lang: str  # BCP 47, for <html lang>, hreflang and the ePub: zh-CN
    label: str  # the name in the language switcher and on the landing page, in the language itself
    browser_prefix: str  # navigator.languages entries starting with this choose the language: zh
    site_name: str  # the site's title in this language
    description: str  # the description of pages that have no long enough first paragraph
    description_length: int  # how many characters search engines show of a description
    og_locale: str  # Open Graph's locale: zh_CN
    original_toggle: str | None = None  # the button that shows the English original (translations only)
    # Written in CJK characters: the PDF sets quotes, dashes and ellipses as CJK punctuation
    # (full width); otherwise as Latin punctuation, though both books have CJK fonts (conf.py).
    cjk: bool = False


LANGUAGE_TABLE = (
    Language(
        code="en",
        readthedocs="en",
        html_lang="en",
        label="English",
        browser_prefix="en",
        site_name="Tornado Guide",
        description="Tornado Guide: learn the Tornado 6 web framework with examples that are tested against real servers.",
        description_length=160,  # about 160 Latin characters
        og_locale="en_US",
    ),
    Language(
        code="zh_CN",
        readthedocs="zh-cn",
        html_lang="zh-CN",
        label="中文",
        browser_prefix="zh",
        site_name="Tornado 指南",
        description="Tornado 指南：通过在真实服务器上测试过的示例学习 Tornado 6 Web 框架。",
        description_length=80,  # about 80 Chinese characters
        og_locale="zh_CN",
        original_toggle="对照英文原文",
        cjk=True,
    ),
)

SOURCE_LANGUAGE = LANGUAGE_TABLE[0].code  # the pages in docs/ are written in it
LANGUAGES = tuple(language.code for language in LANGUAGE_TABLE)
TRANSLATIONS = LANGUAGES[1:]
_BY_CODE = {language.code: language for language in LANGUAGE_TABLE}


def language(code: str) -> Language:
    """The row of a language, by its Sphinx name (zh_CN)."""
    return _BY_CODE[code]


def sphinx_language(name: str) -> str:
    """Map a language name as Read the Docs spells it (zh-cn), or as Sphinx does, to Sphinx's (zh_CN)."""
    wanted = name.lower()
    for row in LANGUAGE_TABLE:
        if wanted in (row.code.lower(), row.readthedocs, row.html_lang.lower()):
            return row.code
    raise ValueError(f"unknown language {name!r}; the guide is built in {', '.join(LANGUAGES)}")


def add_language_arguments(parser, out_help: str) -> None:
    """The arguments of a command that makes something per language: the languages, and --out."""
    parser.add_argument("languages", nargs="*", metavar="LANGUAGE")
    parser.add_argument("--out", type=Path, help=f"{out_help} (one language only)")


def chosen_languages(parser, args) -> list[str]:
    """The languages those arguments name, as Sphinx names them (all when none), or a usage error."""
    try:
        languages = [sphinx_language(name) for name in args.languages] or list(LANGUAGES)
    except ValueError as error:
        parser.error(str(error))
    if args.out is not None and len(languages) != 1:
        parser.error("--out takes exactly one language")
    return languages


def readthedocs_language(code: str) -> str:
    """Map a Sphinx language name (zh_CN) to the one in Read the Docs URLs (zh-cn)."""
    return language(code).readthedocs


def html_lang(code: str) -> str:
    """The BCP 47 tag of a language (zh-CN for zh_CN)."""
    return language(code).html_lang


def main(argv: list[str]) -> int:
    if argv not in ([], ["--translations"]):
        print(__doc__, file=sys.stderr)
        return 2
    print(" ".join(TRANSLATIONS if argv else LANGUAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
