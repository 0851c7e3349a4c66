"""Coroutines: what calling one does, and two of them awaited in turn or together."""

import asyncio


async def worker(name, steps):
    for step in range(1, steps + 1):
        print(f"{name}: step {step}")
        # Any await is a point where the event loop may switch to other work.
        # sleep(0) switches without waiting, so the order below is exact.
        await asyncio.sleep(0)
    return f"{name} done"


async def main():
    coroutine = worker("C", 1)
    print(f"Calling worker made a {type(coroutine).__name__}; no step has run")
    print(await coroutine)

    print("Awaited one after the other:")
    await worker("A", 3)
    await worker("B", 2)

    print("Run together with asyncio.gather:")
    results = await asyncio.gather(worker("A", 3), worker("B", 2))
    print(results)


if __name__ == "__main__":
    asyncio.run(main())
