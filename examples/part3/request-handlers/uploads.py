import asyncio
import hashlib

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, type=int, help="port to listen on")

MAX_BODY = 1024 * 1024  # 1 MiB: the limit for every request, forms with files included
MAX_STREAM = 64 * 1024 * 1024  # 64 MiB: only for /stream, which never holds the body

FORM = """<!DOCTYPE html>
<title>Upload</title>
<form method="post" enctype="multipart/form-data">
  <input type="file" name="file" multiple>
  <input type="text" name="note">
  <button>Send</button>
</form>
"""


class UploadHandler(tornado.web.RequestHandler):
    def get(self):
        self.write(FORM)

    def post(self):
        files = []
        for field, uploads in self.request.files.items():
            for upload in uploads:
                files.append(
                    {
                        "field": field,
                        "filename": upload.filename,  # chosen by the client: never a path
                        "content_type": upload.content_type,
                        "size": len(upload.body),
                    }
                )
        if not files:
            self.set_status(400)
            raise tornado.web.Finish({"error": "No file in the request"})
        note = self.get_body_argument("note", "")
        self.write({"files": files, "note": note})


@tornado.web.stream_request_body
class StreamHandler(tornado.web.RequestHandler):
    def prepare(self):
        # Streaming alone does not lift the server's max_body_size. Raise it
        # for this handler only; prepare runs before the body is read.
        self.request.connection.set_max_body_size(MAX_STREAM)
        self.size = 0
        self.digest = hashlib.sha256()

    def data_received(self, chunk):
        # Each piece as it arrives; nothing is kept but a count and a hash.
        self.size += len(chunk)
        self.digest.update(chunk)

    def put(self):
        self.write({"size": self.size, "sha256": self.digest.hexdigest()})


def make_app():
    return tornado.web.Application(
        [
            (r"/upload", UploadHandler),
            (r"/stream", StreamHandler),
        ]
    )


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port, address="127.0.0.1", max_body_size=MAX_BODY)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
