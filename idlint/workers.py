"""Worker processes for the work that a hostile file can make hang or explode: parsing.

libcst's native parser holds the GIL and cannot be interrupted, and some inputs make it run
for minutes or take gigabytes (100k unary minus, long chains of `.b`, a 50 MB file). A thread
cannot be stopped and an in-process parse cannot be bounded, so every parse runs in a worker
process that the parent can kill: past `timeout` seconds the worker is killed and replaced,
a worker holds at most `memory_limit` bytes more than it started with (address-space limit,
Linux), and workers die with their parent. The parent only waits on pipes, so Ctrl-C and
SIGTERM reach it at once."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

_T = TypeVar("_T")

# Address space the limit leaves beyond `memory_limit`: glibc reserves it in 64 MiB steps
# for a thread's malloc arena. The parse thread's large stack is already mapped when the
# limit is set (see `warm_up`), so it does not count against the file.
_SLACK = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one item: `data` when the worker answered, else why not."""

    data: bytes | None
    failure: str = ""  # "timeout" or "died" when data is None


class _Worker:
    def __init__(self, ctx: multiprocessing.context.BaseContext, fn: Callable[[_T], bytes],
                 memory_limit: int | None, warm_up: Callable[[], object] | None) -> None:
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child_end, fn, memory_limit, warm_up, os.getpid()),
            daemon=True)
        self.process.start()
        child_end.close()
        self.conn = parent_end
        self.room = _room(parent_end)
        self.queue: list[int] = []  # items sent and not answered, in order
        self.deadline = 0.0
        self.done = 0  # items answered: a memory failure in a used worker gets a retry
        # A new worker first warms up (imports, the parse thread) and says so; an item's
        # time starts when the worker can work on it, not while it is still starting.
        self.ready = False

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        with contextlib.suppress(OSError):
            self.conn.close()
        self.process.join(timeout=1)


class Workers:
    """Worker processes that serve `fn` for several batches of items: a scan parses its
    files, then works out the positions of the nodes its findings name, and the second batch
    reuses the warmed-up workers of the first instead of starting new ones (a start imports
    the parser again, late in the run when nothing else can overlap it).

    `warm_up()` runs in each worker before its memory limit is set, so that what every item
    needs anyway (threads, their stacks and arenas) is not counted against an item.

    `fn` must return bytes; it is sent to the workers by fork where the platform has it
    (no pickling of `fn`), else it must be a picklable module-level function. Use as a
    context manager: the workers are killed when it ends."""

    def __init__(self, fn: Callable[[_T], bytes], *, workers: int,
                 memory_limit: int | None = None,
                 warm_up: Callable[[], object] | None = None) -> None:
        self._fn = fn
        self._workers = max(1, workers)
        self._memory_limit = memory_limit
        self._warm_up = warm_up
        self._ctx = _context()
        self._pool: list[_Worker] = []

    def __enter__(self) -> Workers:
        return self

    def start(self, count: int) -> None:
        """Start up to `count` workers ahead of a batch: they warm up (import the parser)
        while the caller still prepares the batch (finds and reads the files), instead of
        after it. `run` hands them items as if it had started them."""
        while len(self._pool) < min(count, self._workers):
            self._pool.append(_Worker(self._ctx, self._fn, self._memory_limit, self._warm_up))

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for w in self._pool:
            w.kill()
        self._pool = []

    def run(self, items: Sequence[_T], *, timeout: float | None,
            progress: Callable[[int], None] | None = None) -> list[Outcome]:
        """`fn(item)` for every item, results in item order; an item is abandoned (its
        worker killed and replaced) past `timeout` seconds."""
        if not items:
            return []
        count = max(1, min(self._workers, len(items)))
        pool = self._pool
        outcomes: list[Outcome | None] = [None] * len(items)
        pending = list(range(len(items)))
        pending.reverse()  # popped from the end: items go out in order
        retried: set[int] = set()
        finished = 0
        # items pickled and not sent yet: one too large to send ahead is pickled once, not at
        # every answer until a worker is idle
        blobs: dict[int, bytes] = {}

        def answer(index: int, outcome: Outcome) -> None:
            nonlocal finished
            outcomes[index] = outcome
            finished += 1
            if progress is not None:
                progress(finished)

        try:
            while finished < len(items):
                self._hand_out(items, pending, count, timeout, blobs)
                busy = [w for w in pool if w.queue]
                now = time.monotonic()
                wait_for = max(0.0, min(w.deadline for w in busy) - now)
                handles: list[multiprocessing.connection.Connection | int] = \
                    [w.conn for w in busy] + [w.process.sentinel for w in busy]
                ready = multiprocessing.connection.wait(
                    handles, timeout=None if wait_for == float("inf") else wait_for)
                now = time.monotonic()
                for w in busy:
                    if w.conn in ready:
                        try:
                            data = w.conn.recv_bytes()
                        except (EOFError, OSError):
                            data = None
                        if data is not None:
                            if not w.ready:  # the ready signal: the item's time starts now
                                w.ready = True
                                w.deadline = _deadline(timeout)
                                continue
                            w.done += 1
                            answer(w.queue.pop(0), Outcome(data))
                            # the prefetched item, already in the pipe, starts now
                            w.deadline = _deadline(timeout)
                            continue
                    if w.conn in ready or w.process.sentinel in ready:
                        # Died without an answer: out of memory (the native parser aborts
                        # when an allocation fails) or killed. A worker that had served
                        # other items may have grown; the item gets one more try in a fresh
                        # worker. An item waiting behind it never started: it goes back.
                        index, used = w.queue[0], w.done > 0
                        pending.extend(reversed(w.queue[1:]))
                        w.kill()
                        pool.remove(w)
                        if used and index not in retried:
                            retried.add(index)
                            pending.append(index)
                            continue
                        answer(index, Outcome(None, "died"))
                    elif now >= w.deadline:
                        index = w.queue[0]
                        pending.extend(reversed(w.queue[1:]))
                        w.kill()
                        pool.remove(w)
                        answer(index, Outcome(None, "timeout"))
        except BaseException:
            # interrupted (Ctrl-C) or failed midway: workers still on an item are not
            # reused, nor waited for
            self.close()
            raise
        return [o if o is not None else Outcome(None, "died") for o in outcomes]

    def _hand_out(self, items: Sequence[_T], pending: list[int], count: int,
                  timeout: float | None, blobs: dict[int, bytes]) -> None:
        """Send pending items to idle workers, starting workers up to `count`; then give
        each busy, started worker one small item more to hold in its pipe, so that it need
        not wait for the parent between two items. Only an item that fits in the pipe's
        buffer is sent ahead: the parent must never block on a send while the worker blocks
        sending its answer."""
        pool = self._pool
        while pending:
            idle = next((w for w in pool if not w.queue), None)
            if idle is None:
                if len(pool) >= count:
                    break
                idle = _Worker(self._ctx, self._fn, self._memory_limit, self._warm_up)
                pool.append(idle)
            index = pending.pop()
            try:
                idle.conn.send_bytes(_blob(items, index, blobs))
            except (OSError, ValueError):  # the worker died while idle: replace it
                idle.kill()
                pool.remove(idle)
                pending.append(index)
                continue
            del blobs[index]
            idle.queue.append(index)
            idle.deadline = _deadline(timeout) if idle.ready else float("inf")
        for w in pool:
            if not pending or len(w.queue) != 1 or not w.ready or not w.room:
                continue
            index = pending[-1]
            data = _blob(items, index, blobs)
            if len(data) > w.room:
                continue
            try:
                w.conn.send_bytes(data)
            except (OSError, ValueError):  # dying: its current item's outcome tells
                continue
            del blobs[index]
            w.queue.append(pending.pop())


def _room(conn: multiprocessing.connection.Connection) -> int:
    """Bytes an item sent ahead may have: a quarter of the socket's send buffer (Linux
    reports twice what it grants, and bookkeeping takes part of the rest); 0 where that is
    not known, and items then go only to idle workers."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        with socket.socket(fileno=os.dup(conn.fileno())) as sock:
            size = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    except (OSError, ValueError):
        return 0
    return min(size // 4, 256 * 1024)


def _blob(items: Sequence[object], index: int, blobs: dict[int, bytes]) -> bytes:
    """Item `index` pickled, kept in `blobs` until it is sent."""
    data = blobs.get(index)
    if data is None:
        data = blobs[index] = pickle.dumps(items[index], protocol=pickle.HIGHEST_PROTOCOL)
    return data


def _deadline(timeout: float | None) -> float:
    return time.monotonic() + timeout if timeout else float("inf")


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in a few milliseconds with everything imported; spawn is the
    # portable fallback.
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _serve(conn: multiprocessing.connection.Connection, fn: Callable[[object], bytes],
           memory_limit: int | None, warm_up: Callable[[], object] | None,
           parent: int) -> None:
    _die_with_parent(parent)
    _quiet()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C, once
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if warm_up is not None:
        warm_up()
    if memory_limit is not None:
        _limit_memory(memory_limit)
    conn.send_bytes(b"")  # ready
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        conn.send_bytes(fn(item))


def _quiet() -> None:
    """A worker that runs out of memory is ended by the native parser's abort, which writes
    its own message (and Python's fault handler a stack); the parent reports the file as
    IDL903, so none of that reaches the user's terminal."""
    import faulthandler

    faulthandler.disable()
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


def _die_with_parent(parent: int) -> None:
    """A killed parent (a cancelled CI job, kill -9) must not leave parsers running."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the time limit still applies
        return
    current = _address_space()
    if current is None:
        return
    with contextlib.suppress(ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = current + _SLACK + limit
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), the base the limit is added to."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")

