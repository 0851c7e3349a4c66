import sys
from pathlib import Path

from tornado.template import Loader

TEMPLATES = Path(__file__).resolve().parent / "templates"


def one_line(html):
    """For {% apply %}: it gets the block's output as UTF-8 bytes, already escaped."""
    return " ".join(html.decode("utf-8").split())


def main():
    loader = Loader(str(TEMPLATES))
    page = loader.load("tour.html").generate(title="Sockets & Poets", one_line=one_line)
    sys.stdout.write(page.decode("utf-8"))


if __name__ == "__main__":
    main()
