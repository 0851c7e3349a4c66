import time
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

PROGRAM = "greeting.py"


def fetch(url):
    with urlopen(url) as response:
        return response.status, response.headers["Content-Type"], response.read().decode("utf-8")


def wait_for_log(server, text, timeout=2.0):
    """The access log line is written just after the response; poll for it."""
    deadline = time.monotonic() + timeout
    while text not in server.output():
        assert time.monotonic() < deadline, f"{text!r} not in the log:\n{server.output()}"
        time.sleep(0.01)


def test_greeting_has_a_default_and_takes_a_query_argument(start_example, replay):
    server = start_example(PROGRAM)
    assert fetch(server.url + "/") == (200, "text/plain; charset=UTF-8", "Hello, friendly user!\n")
    assert fetch(server.url + "/?greeting=Salutations")[2] == "Salutations, friendly user!\n"
    # Percent-encoded UTF-8 arrives decoded.
    assert fetch(server.url + "/?greeting=%E4%BD%A0%E5%A5%BD")[2] == "你好, friendly user!\n"
    # An empty value is present, so the default does not apply.
    assert fetch(server.url + "/?greeting=")[2] == ", friendly user!\n"
    # Spaces around the value are stripped.
    assert fetch(server.url + "/?greeting=%20Hi%20")[2] == "Hi, friendly user!\n"
    # parse_command_line set up logging: each request gets an access log line.
    wait_for_log(server, "200 GET /?greeting=Salutations")
    replay("greeting.console", server)


def test_missing_required_argument_is_400(start_example, replay):
    server = start_example(PROGRAM)
    with pytest.raises(HTTPError) as caught:
        urlopen(server.url + "/strict")
    assert caught.value.code == 400
    assert "Missing argument greeting" in server.output()
    assert fetch(server.url + "/strict?greeting=Hi")[2] == "Hi, friendly user!\n"
    replay("strict.console", server)


def test_help_goes_to_stderr_and_exits(run_example, replay):
    done = run_example(PROGRAM, "--help")
    assert done.returncode == 0
    assert done.stdout == ""
    assert "\ngreeting options:\n" in done.stderr
    assert "  --port                           port to listen on (default 8888)\n" in done.stderr
    replay("help.console")


def test_bool_flag_alone_and_underscores(run_example):
    # --log_to_stderr is the bool option --log-to-stderr, given without a value.
    done = run_example(PROGRAM, "--log_to_stderr", "--help")
    assert done.returncode == 0, done.stderr
    assert "greeting options:" in done.stderr


@pytest.mark.parametrize(
    "argument, message",
    [
        ("--port=abc", "greeting.py: error: invalid literal for int() with base 10: 'abc'"),
        ("--prot=8888", "greeting.py: error: Unrecognized command line option: 'prot'"),
        ("--port", "greeting.py: error: Option 'port' requires a value"),
    ],
)
def test_bad_option_gives_one_line_and_status_2(run_example, argument, message):
    done = run_example(PROGRAM, argument)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == message
    # Only an unknown name makes Tornado print the help first.
    assert done.stderr.startswith("Usage: ") == (argument == "--prot=8888")


def test_bad_options_transcript(replay):
    replay("bad-options.console")


def test_port_in_use_gives_one_line_and_status_1(start_example, run_example):
    server = start_example(PROGRAM)
    done = run_example(PROGRAM, f"--port={server.port}")
    assert done.returncode == 1
    assert done.stderr == f"greeting.py: error: cannot listen on port {server.port}: Address already in use\n"
    # The first server is unharmed.
    assert fetch(server.url + "/")[2] == "Hello, friendly user!\n"
