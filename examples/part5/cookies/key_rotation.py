import asyncio
import os
import sys

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("key_version", default=None, type=int, help="the key that signs new cookies (default: the newest)")


def read_cookie_keys():
    # COOKIE_KEYS="1:<old key> 2:<new key>": each key with its version number.
    pairs = [item.partition(":") for item in os.environ.get("COOKIE_KEYS", "").split()]
    if not pairs or any(not version.isdigit() or len(key) < 32 for version, _, key in pairs):
        sys.exit("Set COOKIE_KEYS to VERSION:KEY pairs separated by spaces, each key 32 or more random characters")
    return {int(version): key for version, _, key in pairs}


class VisitsHandler(tornado.web.RequestHandler):
    def get(self):
        # min_version=2: a cookie in the format used before Tornado 3.2.1 reads
        # as absent (with several keys, it would otherwise end in a 500).
        value = self.get_signed_cookie("visits", min_version=2)
        visits = int(value) + 1 if value else 1
        # Which key signed the cookie? Only worth asking once it is valid.
        signed_with = self.get_signed_cookie_key_version("visits") if value else None
        # Setting the cookie again signs it with the key that key_version names.
        self.set_signed_cookie("visits", str(visits), httponly=True, secure=True, samesite="Lax")
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.write(f"Visits: {visits} (the cookie you sent was signed with key {signed_with})\n")


def make_app(keys, key_version=None):
    return tornado.web.Application(
        [(r"/", VisitsHandler)],
        cookie_secret=keys,  # every key that may have signed a cookie still in use
        key_version=max(keys) if key_version is None else key_version,  # signs new cookies
    )


async def main():
    parse_command_line()
    keys = read_cookie_keys()
    if options.key_version is not None and options.key_version not in keys:
        sys.exit(f"--key_version={options.key_version} names no key of COOKIE_KEYS")
    app = make_app(keys, options.key_version)
    app.listen(options.port, address="127.0.0.1", max_body_size=64 * 1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
