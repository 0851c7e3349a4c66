"""Comments and docstrings of the example programs, translated with the page that shows them.

A page shows an example program with ``literalinclude``. On a translated page the reader
should read the program's comments and docstrings in the page's language, while the code
stays exactly the program that the tests run. So each comment and docstring of a shown
Python file is a message of the page's own catalog, like its prose:

1. ``MarkTranslatableCode`` (priority 5, before Sphinx's ``PreserveTranslatableMessages``
   and ``Locale`` transforms, 10 and 20) turns every literal block that shows a ``.py`` file
   of examples/ into a ``TranslatableCode`` node: still a literal block, and also an
   ``addnodes.translatable``. Sphinx asks such a node for its messages
   (``extract_original_messages``): the gettext builder writes them into the page's
   template, and the ``Locale`` transform hands each translation back
   (``apply_translated_message``).
2. ``FinishTranslatedCode`` (priority 510) turns the node back into a plain literal block
   holding the translated program, so that highlighting and the HTML writer see an ordinary
   block. It runs after ``tools.listings`` (500), which compares the block's text with the
   file to tell a whole file from an excerpt: until then the node holds the file's own text.
   The gettext builder keeps the node, since it reads the messages when it writes.

Only comments and docstrings change. A comment is the text after ``# `` (consecutive
full-line comments at one indentation are one message, split at an empty ``#`` line);
a docstring is the text between its quotes. Shebang and encoding lines, ``ANCHOR``
markers and tool pragmas (``noqa``, ``fmt:``, ``type:``) are never messages. A translated
comment keeps its indentation and ``# ``, wrapped onto more comment lines when it is long;
a docstring keeps its quotes and indentation. ``tests/test_code_comments.py`` checks that
the shown program has the token stream of the tested file once comments and docstrings are
set aside, and that the translated programs still run.

The parts whose pages translate their code are listed in ``TRANSLATED_CODE_PARTS``. The
tuple grows, part by part, until it holds every part of the guide: add a part, run
``python -m tools.site update-po`` for its pages and translate the new entries.
"""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from tools.project import EXAMPLES_DIR

logger = logging.getLogger(__name__)

# The parts whose pages show translated comments. It grows to every part of the guide.
TRANSLATED_CODE_PARTS = ("part1", "part2", "part3", "part4", "part5", "part6", "part7", "part8")

WIDTH = 88  # columns of a wrapped comment or docstring line (a Chinese character takes two)

CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
# Comments that are instructions to a tool or markers for an excerpt, not prose.
NOT_PROSE = re.compile(r"^(?:!|ANCHOR(?:_END)?:|noqa\b|type:|fmt:|pragma\b|pylint:|ruff:|isort:|mypy:)")
LETTERS = re.compile(r"[^\W\d_]{2,}")


def is_translated_page(docname: str) -> bool:
    return docname.split("/", 1)[0] in TRANSLATED_CODE_PARTS


# ---------------------------------------------------------------- finding the messages


@dataclass
class Piece:
    """One message in a program: where it is and how to write its translation back."""

    kind: str  # "comment", "inline" (a comment after code) or "docstring"
    message: str
    start: tuple[int, int]  # (row, column) of its first character, rows from 1
    end: tuple[int, int]  # (row, column) just after its last character
    indent: str = ""  # what comes before it on its first line, for the lines that follow
    quote: str = ""  # a docstring's prefix and opening quotes
    closing_on_own_line: bool = False  # a docstring whose closing quotes stand alone
    width: int = WIDTH


def tokens(text: str) -> list[tokenize.TokenInfo]:
    """The tokens of text, as far as Python can read it: an excerpt may stop inside a bracket."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            found.append(token)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def comment_text(comment: str) -> str:
    """A comment token without its # and the one space after it."""
    text = comment[1:]
    return text[1:] if text.startswith(" ") else text


def is_prose_comment(token: tokenize.TokenInfo) -> bool:
    text = comment_text(token.string)
    if token.start[0] <= 2 and (token.string.startswith("#!") or CODING.match(token.line)):
        return False
    return bool(LETTERS.search(text)) and not NOT_PROSE.match(text.strip()) and not text[:1].isspace()


def docstring_tokens(found: list[tokenize.TokenInfo]) -> list[tokenize.TokenInfo]:
    """The STRING tokens that are docstrings: the first statement of the module, a class or a function.

    Read from the tokens rather than an ast, so that an excerpt that Python cannot parse
    on its own (a method with its indentation, the middle of a list) still has its docstrings."""
    significant = [t for t in found if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING)]
    docstrings = []
    expecting = True  # at the start of the text, or after "def ...:" / "class ...:" and its NEWLINE
    line_start = 0  # index of the first token of the current logical line
    for index, token in enumerate(significant):
        if token.type == tokenize.NEWLINE:
            line = significant[line_start:index]
            words = [t.string for t in line if t.type == tokenize.NAME][:2]
            expecting = (
                bool(line) and line[-1].string == ":" and (words[0] in ("def", "class") or words == ["async", "def"])
            )
            line_start = index + 1
        elif token.type in (tokenize.INDENT, tokenize.DEDENT):
            line_start = index + 1
        else:
            if expecting and index == line_start and token.type == tokenize.STRING:
                following = significant[index + 1] if index + 1 < len(significant) else None
                if following is None or following.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                    docstrings.append(token)
            expecting = False
    return docstrings


STRING_PARTS = re.compile(r"(?s)^([rRuUbBfF]*)('''|\"\"\"|'|\")(.*)\2$")


def docstring_message(body: str) -> str:
    """The text of a docstring as one message: paragraphs joined into lines, separated by a blank line."""
    lines = body.expandtabs().splitlines()
    if not lines:
        return ""
    rest = textwrap.dedent("\n".join(lines[1:])).splitlines()
    text = "\n".join([lines[0].strip(), *rest]).strip()
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(" ".join(line.strip() for line in paragraph.splitlines()) for paragraph in paragraphs)


def find_pieces(text: str) -> list[Piece]:
    """Every comment and docstring of a program (or of an excerpt of one) that reads as prose."""
    found = tokens(text)
    pieces: list[Piece] = []
    block: list[tokenize.TokenInfo] = []

    def close_block() -> None:
        if block:
            first, last = block[0], block[-1]
            message = " ".join(comment_text(t.string).strip() for t in block)
            width = max([WIDTH, *(display_width(t.line.rstrip("\r\n")) for t in block)])
            pieces.append(Piece("comment", message, first.start, last.end, first.line[: first.start[1]], width=width))
            block.clear()

    for token in found:
        if token.type != tokenize.COMMENT:
            if token.type not in (tokenize.NL,):
                close_block()
            continue
        alone = not token.line[: token.start[1]].strip()
        if not is_prose_comment(token):
            close_block()
            continue
        if not alone:
            close_block()
            pieces.append(Piece("inline", comment_text(token.string).strip(), token.start, token.end))
            continue
        if block and (token.start[0] != block[-1].start[0] + 1 or token.start[1] != block[0].start[1]):
            close_block()
        block.append(token)
    close_block()

    for token in docstring_tokens(found):
        match = STRING_PARTS.match(token.string)
        if not match or "b" in match.group(1).lower() or "f" in match.group(1).lower():
            continue
        message = docstring_message(match.group(3))
        if not LETTERS.search(message):
            continue
        body = match.group(3)
        closing_alone = body.rstrip(" \t").endswith("\n")
        pieces.append(Piece(
            "docstring", message, token.start, token.end, token.line[: token.start[1]],
            quote=match.group(1) + match.group(2), closing_on_own_line=closing_alone,
            width=max([WIDTH, *(display_width(line) for line in token.string.splitlines())]),
        ))  # fmt: skip
    pieces.sort(key=lambda piece: piece.start)
    return pieces


def messages(text: str) -> list[str]:
    """The messages of a program, each once, in the order they appear."""
    return list(dict.fromkeys(piece.message for piece in find_pieces(text)))


# ---------------------------------------------------------------- writing translations back

# A line may not start with closing punctuation, nor end with opening punctuation.
CLOSING = set("，。、；：！？）」』》〉,.;:!?)]}")
OPENING = set("（「『《〈([{")
UNIT = re.compile(
    r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+"
)


def good_break(line: str, width: int) -> int:
    """Where to end a full line: after the last punctuation mark or space in its last two
    fifths, so that a word such as 消息 is not cut in two; else at its end."""
    for cut in range(len(line), 0, -1):
        if display_width(line[:cut]) < width * 3 // 5:
            break
        if line[cut - 1] in "，。；：、！？）」』 " and line[cut:].strip():
            return cut
    return len(line)


def wrap(text: str, width: int) -> list[str]:
    """Wrap text of Chinese and Latin words at width columns: between Chinese characters,
    or at spaces, never inside a Latin word or before closing punctuation."""
    units = UNIT.findall(text)
    # Glue punctuation to its neighbour so that it never starts or ends a line alone.
    glued: list[str] = []
    for unit in units:
        if (
            glued
            and not unit.isspace()
            and (unit[0] in CLOSING or glued[-1][-1] in OPENING)
            and not glued[-1].isspace()
        ):
            glued[-1] += unit
        else:
            glued.append(unit)
    lines, line = [], ""
    for unit in glued:
        if unit.isspace():
            if line and display_width(line) + 1 <= width:
                line += " "
            continue
        if line.strip() and display_width(line + unit) > width:
            cut = good_break(line, width)
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip() + unit
        else:
            line += unit
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def render(piece: Piece, translation: str) -> str:
    """The source text that replaces piece, with its translation in it."""
    if piece.kind == "inline":
        return "# " + " ".join(translation.split())
    if piece.kind == "comment":
        room = max(piece.width - display_width(piece.indent) - 2, 20)
        lines = [line for paragraph in translation.split("\n") for line in wrap(paragraph.strip(), room)]
        return ("\n" + piece.indent).join("# " + line if line else "#" for line in lines)
    # A docstring: its quotes, its first line after them, the next lines at its indentation.
    room = max(piece.width - display_width(piece.indent), 20)
    quotes = piece.quote.lstrip("rRuUbBfF")
    raw = "r" in piece.quote.lower()
    if not raw:  # a quote in the translation must not end the string
        translation = translation.replace(quotes, "".join("\\" + q for q in quotes))
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", translation.strip())]

    def closed(text: str) -> str:
        """text followed by the closing quotes on the same line."""
        if not raw and text.endswith(quotes[0]) and not text.endswith("\\" + quotes[0]):
            text = text[:-1] + "\\" + quotes[0]
        return text + quotes

    if (
        len(paragraphs) == 1
        and not piece.closing_on_own_line
        and display_width(piece.indent + piece.quote + paragraphs[0] + quotes) <= piece.width
    ):
        return piece.quote + closed(paragraphs[0])
    if len(quotes) == 1:  # a one-quote string cannot span lines
        return piece.quote + closed(" ".join(paragraphs))
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append("")
        first_room = room - len(piece.quote) if not lines else room
        wrapped = wrap(" ".join(paragraph.split("\n")), first_room)
        lines.extend(wrapped)
    body = ("\n").join((piece.indent + line if number and line else line) for number, line in enumerate(lines))
    if piece.closing_on_own_line or len(lines) > 1:  # a docstring of several lines ends on a line of its own
        return piece.quote + body + "\n" + piece.indent + quotes
    return piece.quote + closed(body)


def code_without_prose(text: str) -> list[tuple[int, str]]:
    """The tokens of a program without its comments, blank lines and docstrings."""
    found = tokens(text)
    docstrings = {token.start for token in docstring_tokens(found)}
    return [
        (t.type, t.string) for t in found if t.type not in (tokenize.COMMENT, tokenize.NL) and t.start not in docstrings
    ]


def translate(text: str, translations: dict[str, str]) -> str:
    """text with every comment and docstring that has a translation replaced by it."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0] - 1] + position[1]

    result = text
    for piece in sorted(find_pieces(text), key=lambda piece: piece.start, reverse=True):
        translation = translations.get(piece.message)
        if not translation or translation == piece.message:
            continue
        result = result[: offset(piece.start)] + render(piece, translation) + result[offset(piece.end) :]
    return result


def translated_program(env, config, text: str) -> str:
    """A program as the current page shows it: its comments and docstrings translated through
    the page's catalog when the page is translated, the text itself otherwise. For code
    that a page shows outside a literal block (the playground's editor)."""
    if config.language == "en" or not is_translated_page(env.docname):
        return text
    from sphinx.locale import init as init_locale
    from sphinx.util.i18n import docname_to_domain

    domain = docname_to_domain(env.docname, config.gettext_compact)
    catalog, found = init_locale([env.srcdir / folder for folder in config.locale_dirs], config.language, domain)
    if not found:
        return text
    return translate(text, {message: catalog.gettext(message) for message in messages(text)})


# ---------------------------------------------------------------- the Sphinx side


def is_example_program(node: nodes.Node) -> bool:
    if type(node) is not nodes.literal_block or not node.get("source"):
        return False
    path = Path(node["source"]).resolve()
    return (
        EXAMPLES_DIR in path.parents
        and path.suffix == ".py"
        and node.get("language", "python") in ("python", "python3", "py")
    )


class TranslatableCode(nodes.literal_block, addnodes.translatable):
    """A literal block showing an example program whose comments and docstrings are messages.

    Its text stays the program's own until FinishTranslatedCode writes the translations in."""

    def preserve_original_messages(self) -> None:
        self.setdefault("guide_code_messages", messages(self.astext()))
        self.setdefault("guide_code_translations", {})

    def extract_original_messages(self) -> list[str]:
        self.preserve_original_messages()
        return list(self["guide_code_messages"])

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        self.preserve_original_messages()
        self["guide_code_translations"][original_message] = translated_message
        self.attributes["translated"] = True

    def setdefault(self, key, failobj=None):
        # Sphinx's Locale transform marks a whole node "translated" once one message of it
        # is done, and skips the node's other messages after that: a program has many.
        if key == "translated":
            return False
        return super().setdefault(key, failobj)

    def translated_code(self) -> str:
        return translate(self.astext(), self.get("guide_code_translations", {}))


class MarkTranslatableCode(SphinxTransform):
    """Make each shown example program of a page a translatable node (before Sphinx translates)."""

    default_priority = 5

    def apply(self, **kwargs) -> None:
        from sphinx.builders.gettext import MessageCatalogBuilder

        gettext = isinstance(self.app.builder, MessageCatalogBuilder)
        if not gettext and self.config.language == "en":
            return  # the English pages show every file as it is
        if not is_translated_page(self.env.docname):
            return
        for block in list(self.document.findall(is_example_program)):
            code = block.astext()
            if not messages(code):
                continue
            node = TranslatableCode(block.rawsource, code, **block.attributes)
            node.source, node.line = block.source, block.line
            node.preserve_original_messages()
            block.replace_self(node)


class FinishTranslatedCode(SphinxTransform):
    """After translation (and after tools.listings has seen the file's text), an ordinary literal block again."""

    default_priority = 510

    def apply(self, **kwargs) -> None:
        from sphinx.builders.gettext import MessageCatalogBuilder

        if isinstance(self.app.builder, MessageCatalogBuilder):
            return  # the gettext builder reads the messages of the node when it writes
        for node in list(self.document.findall(TranslatableCode)):
            code = node.translated_code()
            if code_without_prose(code) != code_without_prose(node.astext()):
                # A translation that changes the program (a stray quote, say) never reaches the page.
                logger.warning("a translated comment or docstring changes the code of %s: check the page's catalog",
                               Path(node["source"]).name, location=node)  # fmt: skip
                code = node.astext()
            attributes = {key: value for key, value in node.attributes.items()
                          if key not in ("guide_code_messages", "guide_code_translations", "translated")}  # fmt: skip
            block = nodes.literal_block(code, code, **attributes)
            block.source, block.line = node.source, node.line
            node.replace_self(block)


def setup(app):
    app.add_transform(MarkTranslatableCode)
    app.add_transform(FinishTranslatedCode)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
