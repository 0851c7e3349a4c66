import time

INTERVAL = 0.05  # seconds between ticks
SEND_TIME = 0.2  # seconds a message takes to send


def poll(server, done, timeout=3.0):
    """Read /stats until done(stats) is true; fail after the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        stats = server.get_json("/stats")
        if done(stats):
            return stats
        assert time.monotonic() < deadline, f"still {stats} after {timeout} s"
        time.sleep(0.01)


def test_the_periodic_callback_ticks(start_example):
    server = start_example("background.py", f"--interval={INTERVAL}")
    first = server.get_json("/stats")["ticks"]
    # The counter grows on its own, with no request asking for it.
    poll(server, lambda stats: stats["ticks"] >= first + 3)


def test_the_answer_comes_before_the_background_task_ends(start_example, replay):
    server = start_example("background.py", f"--send_time={SEND_TIME}")
    # The page's transcript, on a fresh server: nothing sent yet, one task running.
    replay("background.console", server)
    # The message gets sent, and once the task has ended, its done callback
    # drops it from the set (just after the task's last line has run).
    poll(server, lambda stats: stats["sent"] == 1 and stats["running"] == 0)

    response = server.post("/send", body=b"")
    assert response.status == 202
    # The answer left before the new task had sent its message.
    assert response.json() == {"sent": 1, "running": 1}
    poll(server, lambda stats: stats["sent"] == 2 and stats["running"] == 0)


def test_a_failing_task_logs_its_own_error(start_example):
    server = start_example("background.py", "--send_time=0", "--mail_down", allow_tracebacks=True)
    assert server.post("/send", body=b"").status == 202
    poll(server, lambda stats: stats["failed"] == 1 and stats["running"] == 0)
    server.wait_for_output(r"sending a message failed\n(.*\n)*\s*ConnectionError: the mail server refused")
    # Caught inside the task: asyncio has nothing left to complain about.
    assert "Task exception was never retrieved" not in server.output()


def test_an_unread_task_exception_is_reported_only_when_the_task_is_destroyed():
    import asyncio
    import gc

    async def fail():
        raise ConnectionError("the mail server refused the connection")

    async def scenario():
        reports = []
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: reports.append(context["message"]))
        task = asyncio.create_task(fail())
        await asyncio.sleep(0.01)
        assert task.done() and reports == []  # failed, and nobody has heard of it
        del task
        gc.collect()
        return reports

    assert asyncio.run(scenario()) == ["Task exception was never retrieved"]
