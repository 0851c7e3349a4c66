import pytest

PROGRAM = "greeting.py"


def greeting(server, query=""):
    response = server.get("/" + query)
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/plain; charset=UTF-8"
    return response.text


def test_greeting_has_a_default_and_takes_a_query_argument(start_example, replay):
    server = start_example(PROGRAM)
    assert greeting(server) == "Hello, friendly user!\n"
    assert greeting(server, "?greeting=Salutations") == "Salutations, friendly user!\n"
    # Percent-encoded UTF-8 arrives decoded.
    assert greeting(server, "?greeting=%E4%BD%A0%E5%A5%BD") == "你好, friendly user!\n"
    # An empty value is present, so the default does not apply.
    assert greeting(server, "?greeting=") == ", friendly user!\n"
    # Spaces around the value are stripped; control characters become spaces.
    assert greeting(server, "?greeting=%20Hi%20") == "Hi, friendly user!\n"
    assert greeting(server, "?greeting=Hi%00there%00") == "Hi there, friendly user!\n"
    # parse_command_line set up logging: each request gets an access log line.
    server.wait_for_output(r"200 GET /\?greeting=Salutations ")
    replay("greeting.console", server)


def test_get_argument_reads_a_form_body_too(start_example):
    server = start_example(PROGRAM)
    # get_argument looks in the query string and in a form body.
    assert server.request("GET", "/", form={"greeting": "Yo"}).text == "Yo, friendly user!\n"


def test_bytes_that_are_not_utf8_get_400(start_example):
    server = start_example(PROGRAM)
    assert server.get("/?greeting=%FF").status == 400
    assert server.get("/strict?greeting=%C3").status == 400


def test_missing_required_argument_is_400(start_example, replay):
    server = start_example(PROGRAM)
    assert server.get("/strict").status == 400
    server.wait_for_output(r"Missing argument greeting")
    assert server.get("/strict?greeting=Hi").text == "Hi, friendly user!\n"
    replay("greeting-strict.console", server)


def test_help_goes_to_stderr_and_exits(run_example, replay):
    done = run_example(PROGRAM, "--help")
    assert done.returncode == 0
    assert done.stdout == ""
    assert "\ngreeting options:\n" in done.stderr
    assert "  --port                           port to listen on (default 8888)\n" in done.stderr
    replay("greeting-help.console")


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
    replay("greeting-bad-options.console")


def test_port_in_use_gives_one_line_and_status_1(start_example, run_example):
    server = start_example(PROGRAM)
    done = run_example(PROGRAM, f"--port={server.port}")
    assert done.returncode == 1
    assert done.stderr == f"greeting.py: error: cannot listen on port {server.port}: Address already in use\n"
    # The first server is unharmed.
    assert greeting(server) == "Hello, friendly user!\n"
