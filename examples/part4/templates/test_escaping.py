import re
from urllib.parse import urlencode

SAMPLE = '<em>Hi</em><script>document.title = "Script ran"</script>'
ATTACK = "<script>alert('x')</script> & \"quotes\""


def paragraphs(server, path):
    """Each <p id="..."> of the page and the markup inside it."""
    return dict(re.findall(r'<p id="(\w+)">(.*?)</p>', server.get(path).text))


def test_escaped_by_default_and_raw_only_where_asked(start_example, replay):
    server = start_example("escaping.py")
    shown = paragraphs(server, "/")
    # {{ }} escaped the sample; {% raw %} wrote it as HTML.
    assert shown["escaped"] == (
        "&lt;em&gt;Hi&lt;/em&gt;&lt;script&gt;document.title = &quot;Script ran&quot;&lt;/script&gt;"
    )
    assert shown["raw"] == SAMPLE
    # {% autoescape None %} in unescaped.html: {{ sample }} is raw in that file.
    assert paragraphs(server, "/unescaped") == {"unescaped": SAMPLE}
    replay("escaping.console", server)


def test_a_visitors_text_is_never_written_unescaped(start_example):
    server = start_example("escaping.py")
    query = "?" + urlencode({"comment": ATTACK})
    for path in ("/", "/unescaped"):
        page = server.get(path + query).text
        assert "<script>alert" not in page and "alert('x')" not in page, path
    shown = paragraphs(server, "/" + query)
    assert shown["escaped"] == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;"
    assert shown["raw"] == SAMPLE


def test_in_chromium_only_the_servers_own_sample_runs(start_example, browser):
    server = start_example("escaping.py")
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(server.url + "/?" + urlencode({"comment": "<script>alert('x')</script>"}))
        # The raw sample's script ran; the visitor's script is text on the page.
        assert page.title() == "Script ran"
        assert page.locator("#escaped").inner_text() == "<script>alert('x')</script>"
        assert dialogs == []
    finally:
        page.close()


def test_escaping_does_not_make_a_url_or_an_unquoted_attribute_safe():
    from tornado.template import Template

    # A javascript: URL has no character to escape, and runs when the link is clicked.
    link = Template('<a href="{{ link }}">home</a>').generate(link="javascript:alert(1)")
    assert link == b'<a href="javascript:alert(1)">home</a>'
    # Without quotes, a space ends the attribute and starts another one.
    field = Template("<input value={{ name }}>").generate(name="x onfocus=alert(1) autofocus")
    assert field == b"<input value=x onfocus=alert(1) autofocus>"
