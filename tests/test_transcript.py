"""The transcript format that pages show and example tests replay."""

import pytest

from tools.transcript import output_matches, parse_transcript


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
