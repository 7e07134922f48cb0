"""`newsprism serve --workers N` on POSIX: the app is imported once, then N forked processes serve it.

uvicorn's own multi-process mode spawns each worker as a fresh interpreter that imports FastAPI and the
app again (0.6 s of CPU each, all at once on a small machine): the first answer came 1.4–2 s after start.
A forked worker starts with every module loaded and only builds the app (its own store connections,
page cache and templates), so the first answer comes as soon as one worker would give it. The parent
binds the socket (and keeps it, never accepting on it), forks, restarts a worker that dies, and passes
SIGINT/SIGTERM on to the workers.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from types import FrameType

__all__ = ["serve_forked"]


def serve_forked(host: str, port: int, workers: int, log_level: str = "warning") -> None:
    """Serves `newsprism.publish.app:app_from_environment` from `workers` forked processes until stopped."""
    import uvicorn

    from newsprism.publish.app import app_from_environment

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.create_server((host, port), family=family, backlog=2048)
    listener.set_inheritable(True)
    config = uvicorn.Config(app_from_environment, factory=True, log_level=log_level)
    children: set[int] = set()
    stopping = False

    def start_one() -> None:
        pid = os.fork()
        if pid == 0:  # the worker: its own event loop and store connections, made after the fork
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = 0
            try:
                uvicorn.Server(config).run(sockets=[listener])
            except BaseException:  # a worker reports and exits; the parent restarts it
                code = 1
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.add(pid)

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                children.discard(pid)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for _ in range(workers):
        start_one()
    restarts: list[float] = []
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
        if not stopping:
            # a worker died: start another, unless they keep dying (then stop, rather than spin)
            now = time.monotonic()
            restarts = [t for t in restarts if now - t < 60] + [now]
            if len(restarts) > 5 * workers:
                print("serve: workers keep exiting; stopping", file=sys.stderr)
                stop(signal.SIGTERM, None)
                continue
            start_one()  # on the same listening socket, which the parent keeps open (and never accepts on)
    listener.close()
