"""When one of several calls fails: asyncio.gather against asyncio.TaskGroup."""

import asyncio

CALLS = [("weather", 0.3, False), ("news", 0.1, True), ("traffic", 0.6, False)]


async def call(name, seconds, fail):
    await asyncio.sleep(seconds)  # stands for a request to another service
    if fail:
        raise ConnectionError(f"{name} is down")
    return f"{name}: answered"


def state(task):
    if not task.done():
        return "still running"
    if task.cancelled():
        return "cancelled"
    return "failed" if task.exception() else "answered"


def show(tasks):
    print("  " + ", ".join(f"{task.get_name()} {state(task)}" for task in tasks))


async def with_gather():
    print("gather:")
    tasks = [asyncio.create_task(call(*args), name=args[0]) for args in CALLS]
    try:
        await asyncio.gather(*tasks)
    except ConnectionError as error:
        print(f"  raised: {error}")
    show(tasks)
    await asyncio.sleep(0.8)  # nobody waits for them, and yet they go on
    show(tasks)


async def with_task_group():
    print("TaskGroup:")
    tasks = []
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(call(*args), name=args[0]) for args in CALLS]
    except* ConnectionError as errors:
        print(f"  raised: {', '.join(str(error) for error in errors.exceptions)}")
    show(tasks)


async def main():
    await with_gather()
    await with_task_group()


if __name__ == "__main__":
    asyncio.run(main())
