import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line
from tornado.web import HTTPError

define("port", default=8888, type=int, help="port to listen on")

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
                files.append({
                    "field": field,
                    "filename": upload.filename,  # chosen by the client: never a path
                    "content_type": upload.content_type,
                    "size": len(upload.body),
                })
        if not files:
            raise HTTPError(400, reason="No file in the request")
        note = self.get_body_argument("note", "")
        self.write({"files": files, "note": note})


def make_app():
    return tornado.web.Application([(r"/upload", UploadHandler)])


async def main():
    parse_command_line()
    app = make_app()
    app.listen(options.port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
