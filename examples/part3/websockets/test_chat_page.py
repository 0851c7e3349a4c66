import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import expect
from tornado.websocket import websocket_connect


async def listen_for_one_message(url, ready):
    connection = await websocket_connect(url)
    ready.set()
    message = await asyncio.wait_for(connection.read_message(), timeout=10)
    connection.close()
    return json.loads(message)


def test_a_message_typed_in_the_page_reaches_the_page_and_a_python_client(start_example, browser):
    server = start_example("websocket_chat.py")
    ready = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        # Playwright's sync API owns this thread, so the Python client runs
        # its own event loop in another one.
        listener = pool.submit(asyncio.run, listen_for_one_message(f"ws://127.0.0.1:{server.port}/chat", ready))
        assert ready.wait(5), "the Python client did not connect"
        page = browser.new_page()
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
        page.goto(server.url + "/")
        expect(page.locator("#state")).to_have_text("Connected")
        page.fill("#text", "Hello from the browser")
        page.click("text=Send")
        # The broadcast comes back to the page that sent it...
        expect(page.locator("#messages li")).to_have_text(["Hello from the browser"])
        expect(page.locator("#text")).to_have_value("")
        page.close()
        # ...and reaches the other member of the room.
        assert listener.result(timeout=10) == {"text": "Hello from the browser"}
    assert not problems, problems
