import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po


def read_catalog(path):
    # A fresh template from xgettext still has placeholders in its header.
    text = Path(path).read_bytes().replace(b"charset=CHARSET", b"charset=UTF-8")
    text = text.replace(b"nplurals=INTEGER; plural=EXPRESSION;", b"nplurals=2; plural=(n != 1);")
    return read_po(io.BytesIO(text))


PROGRAM = "photo.py"
PROGRAM_PATH = Path(__file__).parent / PROGRAM
PO_FILE = Path(__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "photo.po"

ENGLISH_ONE = "Photo by Ada\n1 person likes this photo.\n12,345 views\nTaken on January 15, 2026\n"
ENGLISH_MANY = "Photo by Ada\n3 people like this photo.\n12,345 views\nTaken on January 15, 2026\n"
CHINESE_ONE = "摄影：Ada\n1 人喜欢这张照片。\n浏览 12345 次\n拍摄于 2026年1月15日\n"
CHINESE_MANY = "摄影：Ada\n3 人喜欢这张照片。\n浏览 12345 次\n拍摄于 2026年1月15日\n"


def fetch(server, path, language=None, cookie=None):
    headers = {}
    if language is not None:
        headers["Accept-Language"] = language
    if cookie is not None:
        headers["Cookie"] = cookie
    response = server.get(path, headers=headers)
    assert response.status == 200, (path, response.status)
    return response.text


def compile_po(tmp_path):
    """Compile the example's .po into a gettext tree in tmp_path, as a reader does with msgfmt."""
    target = tmp_path / "zh_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "--check", "-o", str(target / "photo.mo"), str(PO_FILE)], check=True)
    return tmp_path


@pytest.fixture(params=["csv", "gettext"])
def server(request, start_example, tmp_path):
    """The same application, with its translations read from CSV or from a compiled .po."""
    if request.param == "csv":
        return start_example(PROGRAM)
    return start_example(PROGRAM, "--catalogs=gettext", f"--gettext-dir={compile_po(tmp_path)}")


def test_accept_language_chooses_the_language(server, replay):
    assert fetch(server, "/") == ENGLISH_ONE
    assert fetch(server, "/", "zh-CN") == CHINESE_ONE
    assert fetch(server, "/", "zh-cn") == CHINESE_ONE  # codes are case-insensitive
    # The highest q wins, not the first entry.
    assert fetch(server, "/", "en;q=0.5, zh-CN;q=0.9") == CHINESE_ONE
    assert fetch(server, "/", "zh-CN;q=0.4, en-US") == ENGLISH_ONE
    # The same URL has several answers, and the response says what it varies on.
    assert server.get("/").headers["Vary"] == "Accept-Language, Cookie"
    replay("photo.console", server)


def test_plural_forms_for_one_and_many(server):
    assert fetch(server, "/?likes=1") == ENGLISH_ONE
    assert fetch(server, "/?likes=3") == ENGLISH_MANY
    assert "0 people like this photo." in fetch(server, "/?likes=0")
    assert fetch(server, "/?likes=1", "zh-CN") == CHINESE_ONE
    assert fetch(server, "/?likes=3", "zh-CN") == CHINESE_MANY


def test_user_preference_overrides_the_header(server, replay):
    assert fetch(server, "/?lang=en_US", "zh-CN") == ENGLISH_ONE
    assert fetch(server, "/", "en-US", cookie="lang=zh_CN") == CHINESE_ONE
    # The query argument comes before the cookie.
    assert fetch(server, "/?lang=en_US", cookie="lang=zh_CN") == ENGLISH_ONE
    # An unsupported choice is ignored: the header decides.
    assert fetch(server, "/?lang=fr_FR", "zh-CN") == CHINESE_ONE
    assert fetch(server, "/", "zh-CN", cookie="lang=<script>") == CHINESE_ONE
    replay("photo-preference.console", server)


def test_unsupported_languages_fall_back_to_the_default(server):
    for header in ["fr-FR", "fr", "de;q=0.8, ja;q=0.5", "*", "zh-CN;q=0", "xx-yy-zz", ""]:
        assert fetch(server, "/", header) == ENGLISH_ONE, header
    # "zh" and "zh-TW" are not zh_CN: Tornado widens zh_CN to zh, never the reverse.
    for header in ["zh", "zh-TW", "zh-Hans-CN"]:
        assert fetch(server, "/", header) == ENGLISH_ONE, header
    # A supported language later in the list still wins over the default.
    assert fetch(server, "/", "fr-FR, zh-CN;q=0.5") == CHINESE_ONE


def test_pgettext_tells_two_meanings_apart_with_gettext_only(server, request):
    assert fetch(server, "/details") == "Genre: Portrait\nOrientation: Portrait\n"
    chinese = fetch(server, "/details", "zh-CN")
    if "gettext" in request.node.callspec.id:
        assert chinese == "类型：肖像\n方向：竖幅\n"
    else:
        # The CSV format has no contexts: both get the one translation, with a warning.
        assert chinese == "类型：肖像\n方向：肖像\n"
        assert "pgettext is not supported by CSVLocale" in server.output()


def test_xgettext_finds_every_message_of_the_program(tmp_path):
    pot = tmp_path / "photo.pot"
    subprocess.run(["xgettext", "--language=Python", "--from-code=UTF-8", "--keyword=_:1,2",
                    "--keyword=pgettext:1c,2", "-o", str(pot), str(PROGRAM_PATH)], check=True)  # fmt: skip
    extracted = {(m.context, m.id) for m in read_catalog(pot) if m.id}
    translated = {(m.context, m.id) for m in read_catalog(PO_FILE) if m.id}
    # Every message of photo.py, plurals and contexts included, is in the .po file...
    assert ("genre", "Portrait") in extracted and ("orientation", "Portrait") in extracted
    assert ("%(count)d person likes this photo.", "%(count)d people like this photo.") in [
        (m.id[0], m.id[1]) for m in read_catalog(pot) if isinstance(m.id, tuple)
    ]
    assert extracted <= translated
    # ...and the rest of the .po file is what format_date asks for, which xgettext cannot see.
    rest = {msgid for _, msgid in translated - extracted}
    assert rest == {"%(month_name)s %(day)s, %(year)s", "January", "February", "March", "April", "May", "June",
                    "July", "August", "September", "October", "November", "December"}  # fmt: skip


def test_pybabel_keeps_one_specification_per_keyword(tmp_path):
    """Why the page uses xgettext: with _ for both forms, pybabel loses one kind of message."""
    pot = tmp_path / "photo.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "extract", "--no-default-keywords", "-k", "_:1,2", "-k", "pgettext:1c,2",
                    "-o", str(pot), str(PROGRAM_PATH)], check=True)  # fmt: skip
    ids = [m.id for m in read_catalog(pot) if m.id]
    assert "Photo by %(author)s" not in ids
    # With its default keywords and a separate name for plurals, it finds both kinds.
    source = tmp_path / "app.py"
    source.write_text('_("Photo by %(author)s")\nngettext("%(n)d view", "%(n)d views", n)\n')
    subprocess.run([str(pybabel), "-q", "extract", "-o", str(pot), str(source)], check=True)
    ids = [m.id for m in read_catalog(pot) if m.id]
    assert ids == ["Photo by %(author)s", ("%(n)d view", "%(n)d views")]


def test_supported_locales(server, replay):
    assert fetch(server, "/languages") == "en_US English (US)\nzh_CN 中文(简体)\n"
    replay("photo-languages.console", server)


def test_a_bad_count_is_400(server):
    assert server.get("/?likes=many").status == 400


def test_gettext_without_compiled_files_stops_with_one_line(run_example, tmp_path, replay):
    # The folder of the .po file, before msgfmt has run: no .mo in it.
    (tmp_path / "zh_CN" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "zh_CN" / "LC_MESSAGES" / "photo.po").write_bytes(PO_FILE.read_bytes())
    done = run_example(PROGRAM, "--catalogs=gettext", f"--gettext-dir={tmp_path}")
    assert done.returncode == 1
    assert done.stderr == f"photo.py: error: no gettext translations in {tmp_path}\n"
    replay("photo-missing.console")


def test_unknown_format_is_refused(run_example):
    done = run_example(PROGRAM, "--catalogs=yaml")
    assert done.returncode == 1
    assert done.stderr == "photo.py: error: --catalogs must be csv or gettext, not 'yaml'\n"
