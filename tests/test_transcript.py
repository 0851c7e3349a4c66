"""The transcript format that pages show and example tests replay."""

import pytest

from tools.transcript import command_argv, normalize_output, output_matches, parse_transcript


def test_commands_and_their_output_are_read_in_order():
    steps = parse_transcript("$ curl http://localhost:8888/\nHello\n\n$ curl http://localhost:8888/a\nA\nB\n")
    assert [(s.command, s.expected) for s in steps] == [
        ("curl http://localhost:8888/", ["Hello", ""]),
        ("curl http://localhost:8888/a", ["A", "B"]),
    ]


@pytest.mark.parametrize("text", ["", "Hello\n$ curl x\n"])
def test_a_transcript_must_start_with_a_command(text):
    with pytest.raises(ValueError):
        parse_transcript(text)


@pytest.mark.parametrize(
    "expected, actual, matches",
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "", "b"], False),
        (["a", "b"], ["a", "c"], False),
        (["a", "b"], ["a", "b", "c"], False),
        (["a", "...", "z"], ["a", "x", "y", "z"], True),
        (["a", "...", "z"], ["a", "z"], True),
        (["a", "...", "z"], ["a", "y"], False),
        (["a.b"], ["axb"], False),
    ],
)
def test_output_matches_line_by_line_with_ellipsis(expected, actual, matches):
    assert output_matches(expected, actual) is matches


def test_trailing_spaces_and_blank_lines_do_not_count():
    assert normalize_output(["a  ", "", "b ", "", ""]) == ["a", "", "b"]


def test_the_page_port_becomes_the_server_port():
    argv = command_argv("curl -i http://localhost:8888/a 'http://127.0.0.1:8888/b'", 4321, ["py"])
    assert argv == ["curl", "--silent", "--show-error", "-i", "http://127.0.0.1:4321/a", "http://127.0.0.1:4321/b"]


def test_a_longer_port_that_starts_like_the_page_port_is_left_alone():
    assert command_argv("curl http://localhost:88881/", 4321, ["py"])[-1] == "http://localhost:88881/"


def test_python_runs_with_the_given_interpreter_and_port_option():
    argv = command_argv("python examples/x.py --port=8888 --name=a", 4321, ["python3", "-W", "error"])
    assert argv == ["python3", "-W", "error", "examples/x.py", "--port=4321", "--name=a"]


def test_without_a_server_the_command_is_unchanged():
    assert command_argv("python tool.py --port=8888", None, ["py"]) == ["py", "tool.py", "--port=8888"]


@pytest.mark.parametrize("command", ["rm -rf /", "bash -c 'curl x'", "wget http://localhost:8888/"])
def test_other_programs_are_refused(command):
    with pytest.raises(ValueError, match="curl or python"):
        command_argv(command, 4321, ["py"])
