import shutil
from pathlib import Path

HELLO = Path(__file__).resolve().parent / "templates" / "hello.html"


def greeting(server):
    page = server.get("/?name=Ada").text
    return page[page.index("<p>") : page.index("</p>") + 4]


def edit(template):
    text = template.read_text(encoding="utf-8").replace("Hello, ", "Good morning, ")
    template.write_text(text, encoding="utf-8")


def test_compiled_templates_are_kept_until_the_server_restarts(start_example, tmp_path):
    shutil.copy(HELLO, tmp_path / "hello.html")
    server = start_example("template_cache.py", f"--template_path={tmp_path}")
    assert greeting(server).startswith("<p>Hello, Ada!")
    edit(tmp_path / "hello.html")
    # The server compiled the template at the first request and keeps using it.
    assert greeting(server).startswith("<p>Hello, Ada!")


def test_without_the_cache_each_request_reads_the_template_again(start_example, tmp_path):
    shutil.copy(HELLO, tmp_path / "hello.html")
    server = start_example("template_cache.py", f"--template_path={tmp_path}", "--compiled_template_cache=false")
    assert greeting(server).startswith("<p>Hello, Ada!")
    edit(tmp_path / "hello.html")
    assert greeting(server).startswith("<p>Good morning, Ada!")
