"""Import each module of the tour and print the first sentence of its docstring."""

import importlib
import importlib.util
import textwrap

import tornado

# The modules of the tour, in the order the page presents them.
TOUR = [
    "tornado.web",
    "tornado.template",
    "tornado.escape",
    "tornado.locale",
    "tornado.auth",
    "tornado.websocket",
    "tornado.routing",
    "tornado.httpserver",
    "tornado.httpclient",
    "tornado.httputil",
    "tornado.ioloop",
    "tornado.concurrent",
    "tornado.gen",
    "tornado.iostream",
    "tornado.tcpserver",
    "tornado.tcpclient",
    "tornado.netutil",
    "tornado.queues",
    "tornado.locks",
    "tornado.options",
    "tornado.log",
    "tornado.testing",
    "tornado.process",
    "tornado.autoreload",
    "tornado.wsgi",
]

# Modules that old tutorials import and Tornado 6 no longer has.
GONE = ["tornado.database", "tornado.stack_context"]


def first_sentence(module):
    # Docstrings are reStructuredText: join the lines and drop the ``code`` marks.
    text = " ".join((module.__doc__ or "").split()).replace("``", "")
    if not text:
        return "(no docstring)"
    sentence = text.split(". ")[0].rstrip(".")
    return textwrap.shorten(sentence, 55, placeholder=" ...", break_on_hyphens=False)


def main():
    print(f"Tornado {tornado.version}")
    for name in TOUR:
        module = importlib.import_module(name)
        print(f"{name:<23} {first_sentence(module)}")
    for name in GONE:
        found = importlib.util.find_spec(name) is not None
        print(f"{name:<23} {'still installed!' if found else 'gone'}")


if __name__ == "__main__":
    main()
