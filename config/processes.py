"""
Run the web server and the task worker side by side, as one command, for
`make run` and `make serve`:

    python -m config.processes "manage.py runserver" "manage.py db_worker"

Each command runs in a process group of its own, so that whatever it
starts (runserver's reloader child, gunicorn's workers) is stopped with it.
When one command ends, or this process is asked to stop (Ctrl+C, SIGTERM,
SIGHUP), the others get SIGTERM, and SIGKILL after GRACE_SECONDS: gunicorn
finishes its requests and the worker its task. Were this process killed
outright, each command still gets SIGTERM from the kernel (Linux's
PR_SET_PDEATHSIG), so nothing outlives it. The exit status is that of the
command that ended first, or 128 + the signal that stopped it all.

This is the whole of a process manager the project needs on one machine;
in production the worker is a service of its own beside gunicorn's.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shlex
import signal
import subprocess
import sys
import time

# gunicorn's own graceful timeout; a rendition of a large photo takes seconds.
GRACE_SECONDS = 30
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _terminated_with(parent: int):
    """Run in each child before its command: SIGTERM it when `parent` dies."""

    def prepare() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # The parent died before prctl took effect.
            os._exit(1)

    return prepare


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def stop(processes: list[subprocess.Popen], *, grace: float = GRACE_SECONDS) -> None:
    """SIGTERM every group, wait up to `grace` seconds, then SIGKILL what is left."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(max(deadline - time.monotonic(), 0))
    # The leaders are gone or overdue; nothing of their groups stays behind.
    for process in processes:
        _signal_group(process, signal.SIGKILL)
        process.wait()


def run(commands: list[list[str]], *, grace: float = GRACE_SECONDS) -> int:
    """Start the commands, wait until one ends or a stop signal comes, stop them all."""
    received: list[int] = []

    def note(signum, frame) -> None:
        received.append(signum)

    for sig in STOP_SIGNALS:
        signal.signal(sig, note)
    prepare = _terminated_with(os.getpid())
    processes: list[subprocess.Popen] = []
    try:
        for command in commands:
            processes.append(
                subprocess.Popen(command, start_new_session=True, preexec_fn=prepare)
            )
        while not received:
            ended = next((p for p in processes if p.poll() is not None), None)
            if ended is not None:
                print(
                    f"config.processes: {shlex.join(ended.args)} ended with status "
                    f"{ended.returncode}; stopping the others.",
                    file=sys.stderr,
                )
                return ended.returncode
            time.sleep(0.2)
        return 128 + received[0]
    finally:
        # Ctrl+C again while stopping would leave the children half stopped.
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        stop(processes, grace=grace)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return run([shlex.split(command) for command in argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
