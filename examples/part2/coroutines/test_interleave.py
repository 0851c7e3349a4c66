def test_awaiting_runs_in_turn_and_gather_interleaves(run_example, replay):
    done = run_example("interleave.py")
    assert done.returncode == 0, done.stderr
    # No "coroutine was never awaited" warning, nor anything else.
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    # Creating the coroutine ran none of its lines: its first step comes later.
    assert lines[0] == "Calling worker made a coroutine; no step has run"
    assert lines[1] == "C: step 1"
    in_turn = lines[lines.index("Awaited one after the other:") + 1 : lines.index("Run together with asyncio.gather:")]
    assert in_turn == ["A: step 1", "A: step 2", "A: step 3", "B: step 1", "B: step 2"]
    together = lines[lines.index("Run together with asyncio.gather:") + 1 : -1]
    # Each await let the other coroutine take a step.
    assert together == ["A: step 1", "B: step 1", "A: step 2", "B: step 2", "A: step 3"]
    # gather returns the results in the order of its arguments.
    assert lines[-1] == "['A done', 'B done']"
    replay("interleave.console")
