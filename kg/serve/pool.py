"""A fixed number of query worker processes, with a deadline per job.

Why processes and not threads: pyoxigraph runs a query inside one Rust call
that Python cannot interrupt, so a thread running a runaway query would keep
its CPU (and its slot) until the query ends, perhaps never. A worker process
that overruns the deadline is killed (SIGKILL) and replaced in the
background; the other workers go on answering. The cost is one pipe round
trip per request (results cross as finished response bytes) and a store
handle per worker; a read-only Oxigraph store can be opened by many
processes at once. A writable store can only be opened by one, so a server
that takes updates runs a single worker, and an update killed at the deadline
is rolled back by the store's transaction.

Workers are plain ``python -c`` subprocesses talking over a socket pair
(pickled :class:`~kg.serve.worker.Job` and :class:`~kg.serve.worker.Reply`),
in their own session so a Ctrl-C in the terminal reaches only the server.
Not :mod:`multiprocessing`: its ``spawn`` and ``forkserver`` methods run the
caller's main script again in every worker (a script without an
``if __name__ == "__main__"`` guard would start servers recursively), and
``fork`` from a threaded HTTP server is unsafe. A worker is ready about a
second after it starts (imports and store opening).
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import StoreError
from .worker import Job, Reply, WorkerConfig

#: Seconds a new worker may take to import its modules and open the store.
START_TIMEOUT = 60.0
#: The folder holding the ``kg`` package, put on the workers' PYTHONPATH.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class QueryTimeout(Exception):
    """A job overran its deadline; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free in time."""


class WorkerCrashed(Exception):
    """A worker died while running a job (out of memory, a crash in native code)."""


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, process: subprocess.Popen[bytes], conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.pid: int | None = process.pid

    def handshake(self, timeout: float) -> None:
        """Wait for the worker to open the store; raise StoreError with its message if it cannot."""
        try:
            if not self.conn.poll(timeout):
                raise StoreError(f"The query worker did not start within {timeout:g} s; is the machine overloaded?")
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            raise StoreError(f"The query worker exited while starting (exit code {self.process.poll()}); "
                             "see the messages above.") from None
        if status != "ready":
            raise StoreError(str(detail))

    def stop(self, grace: float = 1.0) -> None:
        """Ask the worker to finish, then kill it if it does not within ``grace`` seconds."""
        self.ask_to_stop()
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def ask_to_stop(self) -> None:
        """Tell the worker to close its store and exit after the job it is running, if any."""
        try:
            self.conn.send(None)
        except OSError:
            pass

    def kill(self) -> None:
        """End the process at once (SIGKILL) and release the pipe."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            pass
        self.conn.close()


class WorkerPool:
    """Worker processes sharing one store, each running one job at a time.

    Args:
        config: what each worker opens and enforces.
        size: number of workers (forced to 1 for a writable store).
    """

    def __init__(self, config: WorkerConfig, *, size: int) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.config = config
        self.size = 1 if not config.read_only else size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        self._busy = 0
        self._closed = False
        self.started = 0  # workers started over the pool's life, replacements included

    # -- life cycle --------------------------------------------------------------

    def start(self) -> None:
        """Start every worker and wait until each has opened the store.

        Raises:
            StoreError: a worker cannot open the store (its one-line message),
                or did not start in time; no worker is left running.
        """
        workers = [self._spawn() for _ in range(self.size)]
        try:
            for w in workers:
                w.handshake(START_TIMEOUT)
        except BaseException:
            for w in workers:
                w.kill()
            raise
        with self._lock:
            self._live.update(workers)
        for w in workers:
            self._idle.put(w)

    def close(self) -> None:
        """Stop every worker (a job still running is killed)."""
        with self._lock:
            self._closed = True
            workers = list(self._live)
            self._live.clear()
        for w in workers:
            w.ask_to_stop()
        deadline = time.monotonic() + 1.0
        for w in workers:
            try:
                w.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            w.kill()

    def _spawn(self) -> _Worker:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", "from kg.serve.worker import main; main()", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                env=env, start_new_session=True)
        except OSError as exc:
            ours.close()
            raise StoreError(f"Cannot start a query worker: {exc.strerror or exc}.") from None
        finally:
            theirs.close()
        conn = Connection(ours.detach())
        conn.send(self.config)
        self.started += 1
        return _Worker(process, conn)

    def _replace(self, old: _Worker) -> None:
        """Kill ``old`` and start a replacement, in the background."""
        with self._lock:
            self._live.discard(old)
        threading.Thread(target=self._respawn, args=(old,), name="kg-serve-respawn", daemon=True).start()

    def _respawn(self, old: _Worker) -> None:
        old.kill()  # first: a writable store stays locked until the old process is gone
        delay = 0.5
        while not self._closed:
            new = None
            try:
                new = self._spawn()
                new.handshake(START_TIMEOUT)
            except StoreError as exc:
                if new is not None:
                    new.kill()
                print(f"kg serve: cannot restart a query worker: {exc} (retrying in {delay:g} s)", file=sys.stderr)
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            with self._lock:
                if not self._closed:
                    self._live.add(new)
                    self._idle.put(new)
                    return
            new.stop(grace=0.5)
            return

    # -- jobs --------------------------------------------------------------------

    def run(self, job: Job, *, timeout: float, wait: float) -> Reply:
        """Run one job on a free worker.

        Args:
            job: the query or update.
            timeout: seconds the job may run (parsing and rendering included).
            wait: seconds to wait for a free worker.

        Returns:
            The worker's reply.

        Raises:
            PoolBusy: no worker was free within ``wait`` seconds.
            QueryTimeout: the job overran ``timeout``; its worker was killed and is being replaced.
            WorkerCrashed: the worker died during the job; it is being replaced.
        """
        if self._closed:
            raise PoolBusy("the server is shutting down")
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise PoolBusy(f"all {self.size} query workers are busy") from None
        healthy = False
        with self._lock:
            self._busy += 1
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                raise QueryTimeout(f"query timed out after {timeout:g} s")
            reply: Reply = worker.conn.recv()
            healthy = True
            return reply
        except (EOFError, OSError) as exc:
            raise WorkerCrashed(f"the query worker (pid {worker.pid}) died during the {job.op}") from exc
        finally:
            with self._lock:
                self._busy -= 1
            if healthy:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def status(self) -> dict[str, int]:
        """Counts for a health check: ``workers`` (configured), ``ready`` (alive), ``busy``, ``idle``."""
        with self._lock:
            busy, live = self._busy, len(self._live)
        return {"workers": self.size, "ready": live, "busy": busy, "idle": self._idle.qsize()}

    def pids(self) -> list[int]:
        """Process ids of the live workers (for memory measurements)."""
        with self._lock:
            return [w.pid for w in self._live if w.pid is not None]


def default_size() -> int:
    """Return the number of workers used when none is given.

    Returns:
        The CPU count, between 1 and 4 (more workers than CPUs only add memory).
    """
    return max(1, min(4, os.cpu_count() or 1))


__all__ = ["PoolBusy", "QueryTimeout", "WorkerCrashed", "WorkerPool", "default_size"]
