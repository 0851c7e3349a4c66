import sys
from pathlib import Path

from tornado.options import define, options, parse_command_line
from tornado.template import Loader

define("name", default="reader", help="the name to greet")

TEMPLATES = Path(__file__).resolve().parent / "templates"


def main():
    parse_command_line()
    # Plain text is not HTML: turn autoescaping off for every template
    # that this loader loads.
    loader = Loader(str(TEMPLATES), autoescape=None)
    template = loader.load("welcome.txt")
    text = template.generate(name=options.name, titles=["Event Loops in Practice", "Sockets for Poets"])
    sys.stdout.write(text.decode("utf-8"))


if __name__ == "__main__":
    main()
