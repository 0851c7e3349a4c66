import pytest
from tornado.options import Error, OptionParser

PROGRAM = "settings.py"
CONFIG = "examples/part1/command-line-options/settings.conf"


def settings(done):
    assert done.returncode == 0, done.stderr
    return dict(line.split(" = ", 1) for line in done.stdout.splitlines())


def test_a_flag_wins_over_the_file_before_or_after_it(run_example):
    for arguments in ([f"--config={CONFIG}", "--port=9000"], ["--port=9000", f"--config={CONFIG}"]):
        assert settings(run_example(PROGRAM, *arguments)) == {
            "port": "9000",  # the flag
            "debug": "True",  # the file
            "origins": "['https://example.com', 'https://admin.example.com']",  # the file's list
        }


def test_defaults_and_a_comma_separated_multiple_option(run_example, replay):
    assert settings(run_example(PROGRAM)) == {
        "port": "8888", "debug": "False", "origins": "['http://localhost:8888']",
    }  # fmt: skip
    done = run_example(PROGRAM, "--origins=https://a.example,https://b.example")
    assert settings(done)["origins"] == "['https://a.example', 'https://b.example']"
    replay("settings.console")


def test_a_missing_file_is_one_line_and_status_2(run_example):
    done = run_example(PROGRAM, "--config=no-such-file.conf")
    assert done.returncode == 2
    assert done.stderr == "settings.py: error: [Errno 2] No such file or directory: 'no-such-file.conf'\n"


def test_a_name_can_be_defined_once_per_process():
    parser = OptionParser()
    parser.define("port", default=8888, type=int)
    with pytest.raises(Error, match=r"Option 'port' already defined in .*test_settings\.py"):
        parser.define("port", default=9000, type=int)


def test_parse_callbacks_run_only_on_the_final_pass():
    parser = OptionParser()
    calls = []
    parser.add_parse_callback(lambda: calls.append("logging set up"))
    parser.parse_command_line(["settings.py"], final=False)
    assert calls == []
    parser.parse_command_line(["settings.py"])
    assert calls == ["logging set up"]


def test_tornado_sets_up_logging_in_a_parse_callback():
    import tornado.log
    from tornado.options import options

    # tornado.log registers enable_pretty_logging as a parse callback of the
    # global options, so that it runs after the final pass only.
    assert any(
        getattr(callback, "__code__", None) and "enable_pretty_logging" in callback.__code__.co_names
        for callback in options._parse_callbacks
    ), tornado.log


def test_a_script_that_is_also_imported_defines_its_options_twice(tmp_path):
    import subprocess
    import sys

    # Run as a script, the file is the module __main__; importing it by name
    # loads it a second time, and its define() runs again.
    (tmp_path / "server.py").write_text('from tornado.options import define\ndefine("port")\nimport server\n')
    done = subprocess.run([sys.executable, "server.py"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1
    assert "tornado.options.Error: Option 'port' already defined in" in done.stderr
