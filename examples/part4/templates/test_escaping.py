import re
from urllib.parse import urlencode
from urllib.request import urlopen

ATTACK = "<script>alert('x')</script> & \"quotes\""


def paragraphs(url):
    """Each <p id="..."> of the page and the markup inside it."""
    with urlopen(url) as response:
        page = response.read().decode("utf-8")
    return dict(re.findall(r'<p id="(\w+)">(.*?)</p>', page))


def test_script_is_escaped_by_default_and_raw_only_where_asked(start_example, replay):
    server = start_example("escaping.py")
    query = "?" + urlencode({"comment": ATTACK})
    shown = paragraphs(server.url + "/" + query)
    # {{ comment }}: every special character became an entity, quotes included.
    assert shown["escaped"] == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;"
    )
    # {% raw comment %}: the tag reaches the browser, which would run it.
    assert shown["raw"] == ATTACK
    # {% autoescape None %} in unescaped.html: {{ comment }} is raw in that file.
    assert paragraphs(server.url + "/unescaped" + query) == {"unescaped": ATTACK}
    replay("escaping.console", server)
