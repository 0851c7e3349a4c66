"""Read settings from a file and from the command line: the command line wins."""

import sys

import tornado.options
from tornado.options import define, options, parse_command_line, parse_config_file

define("config", default="", help="file of settings; flags on the command line still win")
define("port", default=8888, type=int, help="port to listen on")
define("debug", default=False, help="show tracebacks to the client")
define(
    "origins", default=["http://localhost:8888"], multiple=True, help="sites allowed to call the API, comma-separated"
)


def read_settings():
    try:
        parse_command_line(final=False)  # first pass: find --config
        if options.config:
            parse_config_file(options.config, final=False)
        parse_command_line()  # second pass: flags win; logging is set up now
    except (tornado.options.Error, ValueError, OSError) as exc:
        print(f"settings.py: error: {exc}", file=sys.stderr)
        sys.exit(2)


def main():
    read_settings()
    for name in ("port", "debug", "origins"):
        print(f"{name} = {options[name]!r}")


if __name__ == "__main__":
    main()
