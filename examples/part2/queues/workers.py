"""Five jobs shared by two workers through a tornado.queues.Queue."""

import asyncio

from tornado.queues import Queue


async def worker(name, queue):
    while True:
        job = await queue.get()  # waits until the queue holds a job
        try:
            print(f"{name} starts {job}")
            await asyncio.sleep(0.05)  # the job itself: here, only waiting
            print(f"{name} finishes {job}")
        finally:
            queue.task_done()  # one unfinished job fewer


async def main():
    queue = Queue()
    for number in range(1, 6):
        queue.put_nowait(f"job {number}")
    workers = [asyncio.create_task(worker(f"worker {n}", queue)) for n in (1, 2)]
    await queue.join()  # returns when every job put in has been marked done
    print("all jobs done")
    for task in workers:
        task.cancel()  # each worker waits in get() for a job that never comes
    await asyncio.gather(*workers, return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main())
