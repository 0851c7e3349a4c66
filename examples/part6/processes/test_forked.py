from .conftest import pids_answering


def test_fork_processes_answers_from_several_children(start_example):
    server = start_example("forked.py", "--processes=3")
    pids = pids_answering(server.url + "/", want=2)
    # The children answer, not the parent that forked them.
    assert server.process.pid not in pids
    log = server.output()
    assert "Starting 3 processes" in log
