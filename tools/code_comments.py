"""Comments and docstrings of the example files, translated with the page that shows them.

A page shows an example file with ``literalinclude``. On a translated page the reader
should read the file's comments (and a program's docstrings) in the page's language, while
the code stays exactly the file that the tests run. So each comment and docstring of a
shown file is a message of the page's own catalog, like its prose:

1. ``MarkTranslatableCode`` (priority 5, before Sphinx's ``PreserveTranslatableMessages``
   and ``Locale`` transforms, 10 and 20) turns every literal block that shows a file of
   examples/ with a comment grammar into a ``TranslatableCode`` node: still a literal
   block, and also an ``addnodes.translatable``. Sphinx asks such a node for its messages
   (``extract_original_messages``): the gettext builder writes them into the page's
   template, and the ``Locale`` transform hands each translation back
   (``apply_translated_message``).
2. ``FinishTranslatedCode`` (priority 510) turns the node back into a plain literal block
   holding the translated file, so that highlighting and the HTML writer see an ordinary
   block. It runs after ``tools.listings`` (500), which compares the block's text with the
   file to tell a whole file from an excerpt: until then the node holds the file's own text.
   The gettext builder keeps the node, since it reads the messages when it writes.

The comment grammar of a block comes from its language (``grammar_of``; a block without one
is read by the file's suffix, and ``FILE_GRAMMARS`` names the plain-text files whose excerpts
are Python):

- ``python`` (Python, and settings.conf, which ``parse_config_file`` runs as Python):
  ``#`` comments and docstrings, read from the tokens.
- ``nginx``: ``#`` comments, full-line and after code; as nginx reads it, ``#`` starts a
  comment only where a word could start, never inside a word or a quoted string.
- ``ini`` (supervisord.conf): ``;`` and ``#`` lines, and ``;`` or ``#`` after whitespace on
  a line of a value, as supervisord's configparser reads them.
- ``javascript``: ``//`` and ``/* */`` comments, not inside a string, a template literal
  (``${scheme}//${host}``) or a regular expression.
- ``markup`` (HTML and Tornado templates): ``{# #}`` anywhere, ``<!-- -->``, and the
  JavaScript comments inside ``<script>`` elements; ``{{ }}`` and ``{% %}`` are code.
  ``template`` (a template that is not HTML): ``{# #}`` only.

Only comments and docstrings change, with the same rules in every grammar. Consecutive
full-line comments at one indentation are one message (split at an empty comment line); a
comment after code is one message; an enclosed comment (``<!-- -->``, ``/* */``, ``{# #}``)
is one; a docstring is the text between its quotes. Shebang and encoding lines, ``ANCHOR``
markers and tool pragmas (``noqa``, ``fmt:``, ``type:``, ``eslint-``...) are never messages.
A translated comment keeps its indentation and its markers, wrapped onto more comment lines
at ``WIDTH`` when it is long; a docstring keeps its quotes and indentation. A translation
that would change the code (``code_without_prose``: Python's tokens, or the lines without
comments) is refused with a warning. ``tests/test_code_comments.py`` checks that the shown
file is the tested file once comments and docstrings are set aside, and that the translated
files still work: programs run, nginx.conf passes ``nginx -t``, scripts pass
``node --check``, templates compile to the same code, supervisord.conf and settings.conf
read the same.

A page that shows a file in part links a page of the whole file (tools/listings.py), which
shows the file's comments in the site's language too: those of the excerpts from the pages'
catalogs, the others from one more catalog per language, ``_examples.po``
(``update_whole_files_catalog``, run by ``python -m tools.site update-po``). An indented
paragraph of a docstring is a code sample: it is kept line for line, never rewrapped.

The parts whose pages translate their code are listed in ``TRANSLATED_CODE_PARTS``. The
tuple grows, part by part, until it holds every part of the guide: add a part, run
``python -m tools.site update-po`` for its pages and translate the new entries.
"""

from __future__ import annotations

import bisect
import functools
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

from tools.project import DOCS_DIR, EXAMPLES_DIR, LOCALE_DIR, ROOT, catalog

logger = logging.getLogger(__name__)

# The parts whose pages show translated comments. It grows to every part of the guide.
TRANSLATED_CODE_PARTS = ("part1", "part2", "part3", "part4", "part5", "part6", "part7", "part8")

WIDTH = 88  # columns of a wrapped comment or docstring line (a Chinese character takes two)

CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
# Comments that are instructions to a tool or markers for an excerpt, not prose.
NOT_PROSE = re.compile(
    r"^(?:!|ANCHOR(?:_END)?:|noqa\b|type:|fmt:|pragma\b|pylint:|ruff:|isort:|mypy:|eslint-|prettier-ignore|@ts-)"
)
LETTERS = re.compile(r"[^\W\d_]{2,}")


def is_translated_page(docname: str) -> bool:
    return docname.split("/", 1)[0] in TRANSLATED_CODE_PARTS


# ---------------------------------------------------------------- finding the messages


@dataclass
class Piece:
    """One message in a program: where it is and how to write its translation back."""

    kind: str  # "comment", "inline" (a comment after code), "enclosed" (<!-- -->, /* */, {# #}) or "docstring"
    message: str
    start: tuple[int, int]  # (row, column) of its first character, rows from 1
    end: tuple[int, int]  # (row, column) just after its last character
    indent: str = ""  # what comes before it on its first line, for the lines that follow
    quote: str = ""  # a docstring's prefix and opening quotes
    closing_on_own_line: bool = False  # a docstring whose closing quotes stand alone
    width: int = WIDTH
    opener: str = "#"  # a comment's marker: "#", "//", ";", or the opening of an "enclosed" one
    closer: str = ""  # the end of an "enclosed" comment: "*/", "-->" or "#}"


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


def is_prose(text: str) -> bool:
    """A comment's text (after its marker) that reads as prose: not a pragma, a marker or commented-out code."""
    return bool(LETTERS.search(text)) and not NOT_PROSE.match(text.strip()) and not text[:1].isspace()


# ---------------------------------------------------------------- the comments of each language


@dataclass
class Comment:
    """One comment of a text, in any language: where it is and how it is marked."""

    start: int  # offset of its opening marker
    end: int  # offset just after it: the end of its line, or after its closing marker
    opener: str  # "#", "//", ";", "/*", "<!--" or "{#"
    closer: str = ""  # "*/", "-->" or "#}"; none for a comment that ends with its line

    def body(self, text: str) -> str:
        """Its text without its markers and the one space after the opening one."""
        body = text[self.start + len(self.opener) : self.end - len(self.closer)]
        return body[1:] if body.startswith(" ") and not self.closer else body


class Lines:
    """Offsets in a text and the (row, column) positions that tokenize uses, rows from 1."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def position(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self.starts, offset)
        return row, offset - self.starts[row - 1]

    def offset(self, position: tuple[int, int]) -> int:
        return self.starts[position[0] - 1] + position[1]

    def before(self, offset: int) -> str:
        """What comes before offset on its line."""
        return self.text[self.starts[self.position(offset)[0] - 1] : offset]

    def line_of(self, offset: int) -> str:
        row = self.position(offset)[0]
        end = self.starts[row] - 1 if row < len(self.starts) else len(self.text)
        return self.text[self.starts[row - 1] : end].rstrip("\r")


def end_of_line(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def python_comments(text: str) -> list[Comment]:
    """The # comments of Python, from its tokens; not a shebang or an encoding line."""
    lines = Lines(text)
    return [
        Comment(lines.offset(token.start), lines.offset(token.end), "#")
        for token in tokens(text)
        if token.type == tokenize.COMMENT
        and not (token.start[0] <= 2 and (token.string.startswith("#!") or CODING.match(token.line)))
    ]  # fmt: skip


def nginx_comments(text: str) -> list[Comment]:
    """The # comments of an nginx configuration. As nginx reads it, # starts a comment only
    where a word could start (not inside a word such as a#b) and never in a quoted string."""
    comments, quote, index = [], "", 0
    while index < len(text):
        char = text[index]
        word_start = index == 0 or text[index - 1] in " \t\r\n;{}"
        if char == "\\":
            index += 1  # the next character is escaped
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and word_start:
            quote = char
        elif char == "#" and word_start:
            comments.append(Comment(index, end_of_line(text, index), "#"))
            index = comments[-1].end
        index += 1
    return comments


def ini_comments(text: str) -> list[Comment]:
    """The comments of an INI file as supervisord reads it (configparser, with inline comments):
    a line that starts with ; or #, or ; or # after whitespace on a line of a value."""
    comments = []
    for line in re.finditer(r"[^\n]*", text):
        marker = re.search(r"^\s*([;#])|\s([;#])", line.group())
        if marker:
            start = line.start() + marker.start(marker.lastindex)
            comments.append(Comment(start, line.end(), text[start]))
    return comments


def end_of_string(text: str, index: int) -> int:
    """Just after the quoted string that starts at index (a JavaScript string or regular expression)."""
    quote, index, in_class = text[index], index + 1, False
    while index < len(text) and text[index] != "\n":
        char = text[index]
        if char == "\\":
            index += 1
        elif quote == "/" and char in "[]":
            in_class = char == "["
        elif char == quote and not in_class:
            return index + 1
        index += 1
    return index


def javascript_comments(text: str) -> list[Comment]:
    """The // and /* */ comments of JavaScript: not inside a string, a template literal
    (`${scheme}//${host}`) or a regular expression."""
    comments: list[Comment] = []
    nesting: list[str] = []  # "`" inside a template literal's text, "{" or "${" inside braces of code
    index = 0
    while index < len(text):
        char = text[index]
        if nesting and nesting[-1] == "`":  # the text of a template literal
            if char == "\\":
                index += 1
            elif char == "`":
                nesting.pop()
            elif text.startswith("${", index):
                nesting.append("${")
                index += 1
            index += 1
            continue
        if text.startswith("//", index):
            comments.append(Comment(index, end_of_line(text, index), "//"))
            index = comments[-1].end
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            comments.append(Comment(index, len(text) if end < 0 else end + 2, "/*", "*/"))
            index = comments[-1].end
        elif char in "\"'" or (char == "/" and regular_expression_may_start(text, index)):
            index = end_of_string(text, index)
        else:
            if char in "`{":
                nesting.append(char)
            elif char == "}" and nesting:
                nesting.pop()
            index += 1
    return comments


def regular_expression_may_start(text: str, index: int) -> bool:
    """A / starts a regular expression where a value is expected: after an operator,
    an opening bracket, a comma or a keyword such as return; after a value it divides."""
    before = text[:index].rstrip()
    return not before or before[-1] in "(,=:[!&|?{};+-*%<>~^" or re.search(r"\b(?:return|typeof|case|in|of)$", before)


MARKUP_PARTS = re.compile(r"\{#|\{\{|\{%|<!--|<script\b[^>]*>", re.IGNORECASE)
MARKUP_ENDS = {"{#": "#}", "{{": "}}", "{%": "%}", "<!--": "-->"}


def markup_comments(text: str, html: bool = True) -> list[Comment]:
    """The comments of a Tornado template or an HTML file: {# #} anywhere, and in HTML
    <!-- --> outside scripts and the JavaScript comments inside <script> elements.
    The template's {{ }} and {% %} are code, whatever they hold."""
    comments: list[Comment] = []
    index = 0
    while match := MARKUP_PARTS.search(text, index):
        opener = match.group()
        if opener.startswith("<") and not html:
            index = match.end()
            continue
        if opener.lower().startswith("<script"):
            end = text.lower().find("</script", match.end())
            end = len(text) if end < 0 else end
            comments += [
                Comment(c.start + match.end(), c.end + match.end(), c.opener, c.closer)
                for c in javascript_comments(text[match.end() : end])
            ]  # fmt: skip
            index = end
            continue
        end = text.find(MARKUP_ENDS[opener], match.end())
        end = len(text) if end < 0 else end + len(MARKUP_ENDS[opener])
        if opener in ("{#", "<!--"):
            comments.append(Comment(match.start(), end, opener, MARKUP_ENDS[opener]))
        index = end
    return comments


def template_comments(text: str) -> list[Comment]:
    """The {# #} comments of a Tornado template that is not HTML (a text or an email)."""
    return markup_comments(text, html=False)


# The comment grammars, by name. Each finds every comment of a text, prose or not.
COMMENT_FINDERS = {
    "python": python_comments,
    "nginx": nginx_comments,
    "ini": ini_comments,
    "javascript": javascript_comments,
    "markup": markup_comments,
    "template": template_comments,
}


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
    return "\n\n".join(paragraph if is_sample(paragraph) else " ".join(line.strip() for line in paragraph.splitlines())
                       for paragraph in paragraphs)  # fmt: skip


def is_sample(paragraph: str) -> bool:
    """An indented paragraph of a docstring is a code sample: kept line for line, never rewrapped."""
    return all(line.startswith((" ", "\t")) for line in paragraph.splitlines())


def comment_pieces(text: str, comments: list[Comment]) -> list[Piece]:
    """The pieces of text made of comments, the same in every language: consecutive
    full-line comments at one indentation are one message, a comment after code is one,
    an enclosed comment (<!-- -->, /* */, {# #}) is one."""
    lines = Lines(text)
    pieces: list[Piece] = []
    block: list[Comment] = []

    def close_block() -> None:
        if block:
            first, last = block[0], block[-1]
            message = " ".join(comment.body(text).strip() for comment in block)
            width = max([WIDTH, *(display_width(lines.line_of(comment.start)) for comment in block)])
            pieces.append(Piece(
                "comment", message, lines.position(first.start), lines.position(last.end),
                lines.before(first.start), width=width, opener=first.opener,
            ))  # fmt: skip
            block.clear()

    for comment in comments:
        body = comment.body(text)
        if not is_prose(body.strip() if comment.closer else body):
            close_block()
            continue
        start, end = lines.position(comment.start), lines.position(comment.end)
        alone = not lines.before(comment.start).strip()
        if comment.closer or not alone:
            close_block()
            kind = "enclosed" if comment.closer else "inline"
            pieces.append(Piece(
                kind, " ".join(body.split()), start, end, lines.before(comment.start),
                opener=comment.opener, closer=comment.closer,
                width=max(WIDTH, display_width(lines.line_of(comment.start))),
            ))  # fmt: skip
            continue
        previous = lines.position(block[-1].start) if block else None
        if block and (start[0] != previous[0] + 1 or start[1] != lines.position(block[0].start)[1]
                      or comment.opener != block[0].opener):  # fmt: skip
            close_block()
        block.append(comment)
    close_block()
    return pieces


def docstring_pieces(found: list[tokenize.TokenInfo]) -> list[Piece]:
    pieces = []
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
    return pieces


def find_pieces(text: str, grammar: str = "python") -> list[Piece]:
    """Every comment (and, in Python, docstring) of a program or an excerpt of one that reads as prose."""
    pieces = comment_pieces(text, COMMENT_FINDERS[grammar](text))
    if grammar == "python":
        pieces += docstring_pieces(tokens(text))
    pieces.sort(key=lambda piece: piece.start)
    return pieces


def messages(text: str, grammar: str = "python") -> list[str]:
    """The messages of a program, each once, in the order they appear."""
    return list(dict.fromkeys(piece.message for piece in find_pieces(text, grammar)))


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
            line += " " if line else ""  # dropped at the end of a line, kept if the break comes earlier
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
    if piece.kind == "inline" or (piece.kind == "enclosed" and piece.indent.strip()):
        return " ".join([piece.opener, *translation.split(), piece.closer]).rstrip()
    if piece.kind == "comment":
        room = max(piece.width - display_width(piece.indent) - len(piece.opener) - 1, 20)
        lines = [line for paragraph in translation.split("\n") for line in wrap(paragraph.strip(), room)]
        return ("\n" + piece.indent).join(f"{piece.opener} {line}" if line else piece.opener for line in lines)
    if piece.kind == "enclosed":  # alone on its line: wrapped, the lines after the first under its text
        room = max(piece.width - display_width(piece.indent) - len(piece.opener + piece.closer) - 2, 20)
        lines = wrap(" ".join(translation.split()), room)
        hanging = "\n" + piece.indent + " " * (len(piece.opener) + 1)
        return f"{piece.opener} {hanging.join(lines)} {piece.closer}"
    # A docstring: its quotes, its first line after them, the next lines at its indentation.
    room = max(piece.width - display_width(piece.indent), 20)
    quotes = piece.quote.lstrip("rRuUbBfF")
    raw = "r" in piece.quote.lower()
    if not raw:  # a quote in the translation must not end the string
        translation = translation.replace(quotes, "".join("\\" + q for q in quotes))
    paragraphs = [p if is_sample(p) else p.strip() for p in re.split(r"\n\s*\n", translation.strip("\n"))]

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
        if is_sample(paragraph):
            lines.extend(paragraph.split("\n"))
            continue
        first_room = room - len(piece.quote) if not lines else room
        lines.extend(wrap(" ".join(paragraph.split("\n")), first_room))
    body = ("\n").join((piece.indent + line if number and line else line) for number, line in enumerate(lines))
    if piece.closing_on_own_line or len(lines) > 1:  # a docstring of several lines ends on a line of its own
        return piece.quote + body + "\n" + piece.indent + quotes
    return piece.quote + closed(body)


def code_without_prose(text: str, grammar: str = "python") -> list:
    """The code of a program without its comments (and docstrings): in Python its tokens,
    in another language its lines without comments, whitespace normalised, blank lines left out."""
    if grammar != "python":
        kept, position = [], 0
        for comment in COMMENT_FINDERS[grammar](text):
            kept.append(text[position : comment.start])
            position = comment.end
        code = "".join([*kept, text[position:]])
        return [" ".join(line.split()) for line in code.splitlines() if line.strip()]
    found = tokens(text)
    docstrings = {token.start for token in docstring_tokens(found)}
    return [
        (t.type, t.string) for t in found if t.type not in (tokenize.COMMENT, tokenize.NL) and t.start not in docstrings
    ]


def translate(text: str, translations: dict[str, str], grammar: str = "python") -> str:
    """text with every comment and docstring that has a translation replaced by it."""
    lines = Lines(text)
    result = text
    for piece in sorted(find_pieces(text, grammar), key=lambda piece: piece.start, reverse=True):
        translation = translations.get(piece.message)
        if not translation or translation == piece.message:
            continue
        start, end = lines.offset(piece.start), lines.offset(piece.end)
        result = result[:start] + render(piece, translation) + result[end:]
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
    page_catalog, found = init_locale([env.srcdir / folder for folder in config.locale_dirs], config.language, domain)
    if not found:
        return text
    return translate(text, {message: page_catalog.gettext(message) for message in messages(text)})


# ---------------------------------------------------------------- whole files

# A page that shows a file in part links a page of the whole file (tools/listings.py). The
# comments outside every excerpt are in no page's catalog, so they are the messages of one
# more catalog per language, locale/<language>/LC_MESSAGES/_examples.po, which
# `python -m tools.site update-po` keeps in step with the examples.
WHOLE_FILES_DOMAIN = "_examples"
# How a whole-file page highlights a file, by its suffix.
LISTING_LANGUAGES = {".py": "python", ".html": "html+jinja", ".xml": "xml", ".conf": "nginx"}
LITERALINCLUDE = re.compile(r"^```\{literalinclude\}\s+(\S+)", re.MULTILINE)


def listing_language(path: Path) -> str:
    return LISTING_LANGUAGES.get(path.suffix, "text")


def whole_file_grammar(path: Path) -> str | None:
    return grammar_of(path, listing_language(path))


def whole_files_catalog(language: str) -> Path:
    return catalog(language, WHOLE_FILES_DOMAIN)


def pages_showing_examples() -> dict[Path, list[str]]:
    """Every example file that some page shows, whole or in part, with the pages that show it."""
    shown: dict[Path, set[str]] = {}
    for source in DOCS_DIR.rglob("*.md"):
        page = source.relative_to(DOCS_DIR).with_suffix("").as_posix()
        for target in LITERALINCLUDE.findall(source.read_text(encoding="utf-8")):
            path = (source.parent / target).resolve()
            if EXAMPLES_DIR in path.parents and path.is_file():
                shown.setdefault(path, set()).add(page)
    return {path: sorted(pages) for path, pages in sorted(shown.items())}


def comment_catalogs(path: Path, language: str, showing: dict[Path, list[str]]) -> list[Path]:
    """The catalogs that translate the comments of a whole file: those of the pages that show
    it, then the one of the comments that no page shows."""
    pages = [catalog(language, page) for page in showing.get(path, [])]
    return [found for found in [*pages, whole_files_catalog(language)] if found.is_file()]


def catalog_entries(path: Path) -> tuple:
    """The entries of a catalog, header left out (none if it does not exist). A catalog is
    read once per version of the file: a build reads the same ones for many whole files."""
    return _read_entries(path, path.stat().st_mtime_ns) if path.is_file() else ()


@functools.cache
def _read_entries(path: Path, version: int) -> tuple:
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        return tuple(message for message in read_po(file) if isinstance(message.id, str) and message.id)


def read_translations(path: Path) -> dict[str, str]:
    """The translated, not fuzzy, entries of a catalog."""
    return {message.id: message.string for message in catalog_entries(path) if message.string and not message.fuzzy}


def messages_outside_the_pages(language: str) -> dict[str, list[tuple[str, int]]]:
    """The comments and docstrings of the shown example files that the catalogs of the pages
    showing them do not hold, each with where it is (path from the repository root, line)."""
    outside: dict[str, list[tuple[str, int]]] = {}
    for path, pages in pages_showing_examples().items():
        grammar = whole_file_grammar(path)
        if grammar is None:
            continue
        known = {message.id for page in pages for message in catalog_entries(catalog(language, page))}
        for piece in find_pieces(path.read_text(encoding="utf-8"), grammar):
            if piece.message not in known:
                outside.setdefault(piece.message, []).append((path.relative_to(ROOT).as_posix(), piece.start[0]))
    return outside


def update_whole_files_catalog(language: str) -> Path:
    """Write _examples.po afresh from the examples, keeping every translation it already had.

    A new message that another catalog of the language translates (the same comment in a
    file that a page shows) starts with that translation."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    path = whole_files_catalog(language)
    kept = read_translations(path)
    outside = messages_outside_the_pages(language)
    if path.is_file() and set(kept) == set(outside) and not locations_changed(path, outside):
        return path  # nothing to do: the header's dates stay as they are
    known: dict[str, str] = {}
    for other in sorted((LOCALE_DIR / language / "LC_MESSAGES").rglob("*.po")):
        known.update(read_translations(other))
    fresh = Catalog(locale=language, fuzzy=False)
    for message, locations in outside.items():
        fresh.add(message, kept.get(message) or known.get(message, ""), locations=locations)
    with path.open("wb") as file:
        write_po(file, fresh, width=76, omit_header=False)
    return path


def locations_changed(path: Path, outside: dict[str, list[tuple[str, int]]]) -> bool:
    held = {message.id: [(p, int(n)) for p, n in message.locations] for message in catalog_entries(path)}
    return any(held.get(message) != locations for message, locations in outside.items())


# ---------------------------------------------------------------- the Sphinx side


# The comment grammar of a shown file, from the block's language ("html+jinja" reads as "html").
LANGUAGE_GRAMMARS = {
    "python": "python", "python3": "python", "py": "python",
    "javascript": "javascript", "js": "javascript",
    "nginx": "nginx", "ini": "ini",
    "html": "markup", "xml": "markup", "jinja": "template", "django": "template",
}  # fmt: skip
# A block without a language is read by its file's suffix.
SUFFIX_LANGUAGES = {".py": "python", ".js": "javascript", ".html": "html", ".xml": "xml", ".conf": "nginx"}
# Files shown as plain text whose excerpts are Python all the same (old code, not meant to run).
FILE_GRAMMARS = {"part8/old-idioms/old_idioms.txt": "python"}


def grammar_of(path: Path, language: str | None) -> str | None:
    """The comment grammar of an example file shown with language, or None for a transcript, a catalog, data."""
    relative = path.relative_to(EXAMPLES_DIR).as_posix()
    if relative in FILE_GRAMMARS:
        return FILE_GRAMMARS[relative]
    language = language or SUFFIX_LANGUAGES.get(path.suffix, "")
    return LANGUAGE_GRAMMARS.get(language.split("+")[0])


def example_grammar(node: nodes.Node) -> str | None:
    """The comment grammar of a literal block that shows an example file, None for any other block."""
    if type(node) is not nodes.literal_block or not node.get("source"):
        return None
    path = Path(node["source"]).resolve()
    return grammar_of(path, node.get("language")) if EXAMPLES_DIR in path.parents else None


class TranslatableCode(nodes.literal_block, addnodes.translatable):
    """A literal block showing an example program whose comments and docstrings are messages.

    Its text stays the program's own until FinishTranslatedCode writes the translations in."""

    def preserve_original_messages(self) -> None:
        self.setdefault("guide_code_messages", messages(self.astext(), self["guide_code_grammar"]))
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
        return translate(self.astext(), self.get("guide_code_translations", {}), self["guide_code_grammar"])


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
        for block in list(self.document.findall(lambda node: example_grammar(node) is not None)):
            code, grammar = block.astext(), example_grammar(block)
            if not messages(code, grammar):
                continue
            node = TranslatableCode(block.rawsource, code, **block.attributes, guide_code_grammar=grammar)
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
            code, grammar = node.translated_code(), node["guide_code_grammar"]
            if code_without_prose(code, grammar) != code_without_prose(node.astext(), grammar):
                # A translation that changes the program (a stray quote, say) never reaches the page.
                logger.warning("a translated comment or docstring changes the code of %s: check the page's catalog",
                               Path(node["source"]).name, location=node)  # fmt: skip
                code = node.astext()
            attributes = {key: value for key, value in node.attributes.items()
                          if not key.startswith("guide_code_") and key != "translated"}  # fmt: skip
            block = nodes.literal_block(code, code, **attributes)
            block.source, block.line = node.source, node.line
            node.replace_self(block)


def setup(app):
    app.add_transform(MarkTranslatableCode)
    app.add_transform(FinishTranslatedCode)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
