"""The single-page copy of each language, for reading offline."""

from __future__ import annotations

import zipfile

import pytest

from tools import offline
from tools.languages import LANGUAGES, html_lang

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_zips_as_one_page_holding_every_chapter(language, tmp_path):
    archive = offline.build_single_page(language, tmp_path)
    with zipfile.ZipFile(archive) as opened:
        page = opened.read(f"{offline.archive_name(language)}/index.html").decode("utf-8")
        names = opened.namelist()
    assert f'lang="{html_lang(language)}"' in page
    for chapter in ("part1-first-application", "part8-old-idioms"):
        assert f'id="document-{chapter.replace("-", "/", 1)}"' in page, chapter
    assert not any("_examples/" in name for name in names), "no links to pages the single copy lacks"
    assert "_examples/" not in page
