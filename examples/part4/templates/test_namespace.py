import datetime
import json
import re
from html.parser import HTMLParser

import pytest


class Attributes(HTMLParser):
    """The attributes of every element that has an id, unescaped by the parser."""

    def __init__(self, page):
        super().__init__()
        self.by_id = {}
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = attrs


def test_each_name_of_the_namespace_works(start_example):
    server = start_example("namespace.py")
    before = datetime.date.today().year
    page = server.get("/").text
    after = datetime.date.today().year
    dd = dict(re.findall(r'<dd id="(\w+)">(.*?)</dd>', page, re.S))

    assert dd["escape"] == "&lt;b&gt;bold&lt;/b&gt; &lt;b&gt;bold&lt;/b&gt;"
    assert dd["url_escape"] == '<a href="/?q=tornado+%26+asyncio">search</a>'
    assert dd["squeeze"] == "12 Main Street"
    # linkify made a link and escaped the rest of the text.
    assert dd["linkify"] == 'Docs: <a href="https://www.tornadoweb.org/">https://www.tornadoweb.org/</a> &lt;3'
    assert dd["datetime"] in {str(before), str(after)}
    assert dd["handler"] == "NamespaceHandler"
    assert dd["request"] == "GET /"
    assert dd["current_user"] == "ada"
    assert dd["locale"] == "en_US"
    assert dd["_"] == "3 books"
    assert dd["reverse_url"] == "/books/42"
    assert dd["ui_methods"] == "12.50 EUR"
    assert dd["ui_modules"] == '<span class="badge">new &amp; noteworthy</span>'

    # script_json: raw inside <script>, with every "<" written as \u003c, so the
    # value can neither close the element nor open a comment; escaped inside an attribute.
    config = {"user": "ada", "end": "</script>", "comment": "<!--<script>"}
    script = re.search(r"<script>const config = (.*?);</script>", page).group(1)
    assert "<" not in script and json.loads(script) == config
    data = Attributes(page).by_id["json_encode"]["data-config"]
    assert json.loads(data) == config

    # get_template_namespace added a name; pgettext and modules are there too.
    assert dd["shop_name"] == "Tornado Bookshop"
    assert dd["pgettext"] == "Paperback"
    assert dd["modules"] == '<span class="badge">in stock</span>'

    # static_url: the path under /static/ with a hash of the file's content.
    url = re.fullmatch(r"/static/site\.css\?v=([0-9a-f]{32,})", dd["static_url"])
    assert url, dd["static_url"]
    assert f'<link rel="stylesheet" href="{dd["static_url"]}">' in page
    assert b".badge" in server.get(dd["static_url"]).body

    # xsrf_form_html through {% module %}: a real hidden field, not escaped text.
    field = re.search(r'<input type="hidden" name="_xsrf" value="([^"]+)"/>', dd["xsrf_form_html"])
    assert field, dd["xsrf_form_html"]


def test_the_xsrf_field_lets_the_form_through(start_example):
    server = start_example("namespace.py")
    session = server.session()
    page = session.get("/").text
    token = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
    # Without the field, the POST is refused; with it (and the cookie), it passes.
    assert session.post("/", body=b"", headers={"Content-Type": "application/x-www-form-urlencoded"}).status == 403
    response = session.post("/", form={"_xsrf": token})
    assert '<dd id="request">POST /</dd>' in response.text


def test_render_string_returns_the_html_without_sending_it(start_example):
    server = start_example("namespace.py")
    response = server.get("/cart")
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    answer = response.json()
    # The fragment saw shop_name from get_template_namespace, like a page would.
    assert answer == {"count": 1, "html": '<p class="cart">Tornado Bookshop: 1 item in your cart</p>\n'}


@pytest.mark.parametrize(
    "path",
    ["/books/1234567890", "/books/" + "9" * 5000, "/books/%D9%A3", "/books/-1", "/static/%00", "/static/site.css%00"],
)
def test_hostile_paths_get_a_4xx(start_example, path):
    server = start_example("namespace.py")
    assert server.get(path).status in (400, 404), path


JSON_ENCODE_ALONE = "<script>const c = {};</script><p id='after'>after the script</p>"


def test_json_encode_alone_lets_a_value_swallow_the_page_in_chromium(browser):
    """Why script_json exists: json_encode only rewrites "</", and "<!--<script>" is enough."""
    from tornado.escape import json_encode

    page = browser.new_page()
    try:
        page.set_content(JSON_ENCODE_ALONE.format(json_encode({"comment": "<!--<script>"})))
        # The real </script> no longer closes the element: the paragraph is gone.
        assert page.locator("#after").count() == 0
        page.set_content(JSON_ENCODE_ALONE.format(json_encode({"comment": "harmless"})))
        assert page.locator("#after").count() == 1
    finally:
        page.close()


def test_script_json_keeps_the_page_whole_in_chromium(start_example, browser):
    server = start_example("namespace.py")
    page = browser.new_page()
    try:
        page.goto(server.url + "/")
        assert page.evaluate("config") == {"user": "ada", "end": "</script>", "comment": "<!--<script>"}
        # Everything after the script is still there.
        assert page.locator("#ui_modules .badge").inner_text() == "new & noteworthy"
    finally:
        page.close()
