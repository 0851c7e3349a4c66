import asyncio
import json

from tornado.options import define, options, parse_command_line
from tornado.websocket import websocket_connect

define("port", default=8888, type=int, help="port of the chat server")
define("text", default="Hello", help="the message to send")


async def main():
    parse_command_line()
    connection = await websocket_connect(f"ws://localhost:{options.port}/chat")
    await connection.write_message(json.dumps({"text": options.text}))
    print("sent:", options.text)
    # Read until our own message comes back in the broadcast.
    while True:
        message = await connection.read_message()
        if message is None:  # the server closed the connection
            break
        text = json.loads(message)["text"]
        print("received:", text)
        if text == options.text:
            connection.close(1000, "done")
            break
    # After close(), read_message() answers None once the server has
    # confirmed the close; its close frame carries the code.
    while await connection.read_message() is not None:
        pass
    print("closed with code", connection.close_code)


if __name__ == "__main__":
    asyncio.run(main())
