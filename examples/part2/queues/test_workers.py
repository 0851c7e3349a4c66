def test_two_workers_share_five_jobs_and_join_waits_for_all(run_example, replay):
    done = run_example("workers.py")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    # Each job is started once and finished once, by the same worker.
    for number in range(1, 6):
        started = [line for line in lines if line.endswith(f"starts job {number}")]
        finished = [line for line in lines if line.endswith(f"finishes job {number}")]
        assert len(started) == len(finished) == 1
        assert started[0].split(" starts")[0] == finished[0].split(" finishes")[0]
    # Two jobs are in progress at once: job 2 starts before job 1 finishes.
    assert lines.index("worker 2 starts job 2") < lines.index("worker 1 finishes job 1")
    # join() returned only after the last job was done.
    assert lines[-1] == "all jobs done"
    replay("workers.console")


def test_put_waits_while_a_bounded_queue_is_full():
    import asyncio

    from tornado.queues import Queue

    async def scenario():
        queue = Queue(maxsize=1)
        queue.put_nowait("first")
        put = asyncio.ensure_future(queue.put("second"))
        await asyncio.sleep(0.05)
        waiting = not put.done()  # full: put() waits
        assert await queue.get() == "first"
        await put  # room again: put() is done
        return waiting, queue.qsize()

    assert asyncio.run(scenario()) == (True, 1)
