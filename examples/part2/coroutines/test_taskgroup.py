def test_gather_lets_the_others_run_on_and_a_task_group_cancels_them(run_example, replay):
    done = run_example("taskgroup.py")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no "Task exception was never retrieved"
    assert done.stdout.splitlines() == [
        "gather:",
        "  raised: news is down",
        # gather raised at once; the two other calls were not stopped...
        "  weather still running, news failed, traffic still running",
        # ...and finished later, with nobody to use their answers.
        "  weather answered, news failed, traffic answered",
        "TaskGroup:",
        "  raised: news is down",
        # The group cancelled the other calls before it raised.
        "  weather cancelled, news failed, traffic cancelled",
    ]
    replay("taskgroup.console")
