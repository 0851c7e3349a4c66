import asyncio
import os
import sys

import tornado.auth
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")
define("public_url", default="http://localhost:8888", help="this site's address, as registered with Google")


class GoogleLoginHandler(tornado.web.RequestHandler, tornado.auth.GoogleOAuth2Mixin):
    async def get(self):
        redirect_uri = self.settings["public_url"] + "/login"
        if self.get_query_argument("code", None) is None:
            # Step 1: send the browser to Google's sign-in page.
            self.authorize_redirect(
                redirect_uri=redirect_uri,
                client_id=self.settings["google_oauth"]["key"],
                scope=["openid", "email"],
            )
            return
        # Step 2: Google sent the browser back with a code; trade it for tokens.
        tokens = await self.get_authenticated_user(redirect_uri=redirect_uri, code=self.get_query_argument("code"))
        self.write(f"Signed in; the access token expires in {tokens['expires_in']} s\n")


async def main():
    parse_command_line()
    key, secret = os.environ.get("GOOGLE_CLIENT_ID"), os.environ.get("GOOGLE_CLIENT_SECRET")
    if not key or not secret:
        sys.exit("Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET in the environment.")
    app = tornado.web.Application(
        [(r"/login", GoogleLoginHandler)],
        google_oauth={"key": key, "secret": secret},
        public_url=options.public_url,
    )
    app.listen(options.port, address="127.0.0.1", max_body_size=1024)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
