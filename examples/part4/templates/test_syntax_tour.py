import re

from tornado.template import Template


def test_import_apply_literal_braces_and_whitespace(run_example, replay):
    done = run_example("syntax_tour.py")
    assert done.returncode == 0, done.stderr
    shown = dict(re.findall(r'<(?:p|pre) id="(\w+)">(.*?)</(?:p|pre)>', done.stdout, re.S))
    # {% import %} and {% from %} are Python imports, usable in the rest of the file.
    assert shown["import"] == "4 stars, since 2026-01-15"
    # {% apply %} passed the block's escaped output to one_line.
    assert shown["apply"] == "Sockets &amp; Poets, a book about TCP"
    # {{! and {%! write the braces themselves.
    assert shown["literal"] == "Write {{ title }} to show a value, {% if %} for a condition."
    # An .html file collapses whitespace, even inside <pre>; {% whitespace all %} keeps it.
    assert shown["collapsed"] == "\nindented\ntwice\n"
    assert shown["kept"] == "\n    indented\n        twice\n"
    replay("syntax_tour.console")


def test_apply_gets_bytes_that_are_already_escaped():
    # A function that expects str fails...
    template = Template("{% apply str.upper %}{{ x }}{% end %}")
    try:
        template.generate(x="a")
    except TypeError:
        pass
    else:
        raise AssertionError("str.upper accepted bytes")
    # ...and linkify, which escapes, escapes the block's output a second time.
    from tornado.escape import linkify

    out = Template("{% apply linkify %}{{ x }}{% end %}").generate(x="<b>", linkify=linkify)
    assert out == b"&amp;lt;b&amp;gt;"


def test_autoescape_of_a_file_does_not_reach_the_file_it_includes(tmp_path):
    from tornado.template import DictLoader

    loader = DictLoader({
        "outer.html": "{% autoescape None %}{{ x }} {% include 'inner.html' %}",
        "inner.html": "{{ x }}",
    })  # fmt: skip
    assert loader.load("outer.html").generate(x="<b>") == b"<b> &lt;b&gt;"
