"""Background coroutines started from Qt slots.

asyncio keeps only weak references to tasks, so a task started from a click could be
garbage-collected mid-flight; `TaskKeeper` holds each one until it ends and sends any
exception to `sys.excepthook` (which app.py makes log it).
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Coroutine
from typing import Any


class TaskKeeper:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def fire(self, result: object) -> None:
        """Runs the result of a core call when it is a coroutine (core may be sync or async)."""
        if inspect.iscoroutine(result):
            self.spawn(result)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            sys.excepthook(type(error), error, error.__traceback__)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
