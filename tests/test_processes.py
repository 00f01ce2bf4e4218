"""
`make run` and `make serve` run the server and the task worker as one
command (config/processes.py): stopping it stops both, whatever they
started, and either one ending stops the other.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.test_settings import BASE_DIR

# A stand-in for a server: it starts a child of its own (as runserver's
# reloader and gunicorn's workers are), writes both PIDs, and waits.
SERVER = (
    "import os, subprocess, sys, time; "
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
    "open(sys.argv[1], 'w').write(f'{os.getpid()} {child.pid}'); "
    "time.sleep(120)"
)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; only its parent has not read its status yet.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"


def wait_for(check, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def start(*commands):
    return subprocess.Popen(
        [sys.executable, "-m", "config.processes", *commands],
        cwd=BASE_DIR,
        stderr=subprocess.PIPE,
        text=True,
    )


def started_pids(*files):
    assert wait_for(lambda: all(f.exists() and f.read_text() for f in files))
    return [int(pid) for f in files for pid in f.read_text().split()]


@pytest.fixture
def pid_files(tmp_path):
    return tmp_path / "server.pids", tmp_path / "worker.pids"


def command(pid_file):
    return f'{sys.executable} -c "{SERVER}" {pid_file}'


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_stopping_it_stops_the_server_and_the_worker_and_their_children(
    pid_files, stop_signal
):
    supervisor = start(*(command(f) for f in pid_files))
    pids = started_pids(*pid_files)
    assert all(alive(pid) for pid in pids)

    supervisor.send_signal(stop_signal)

    assert supervisor.wait(20) == 128 + stop_signal
    assert wait_for(lambda: not any(alive(pid) for pid in pids))


def test_when_one_ends_the_other_is_stopped_and_its_status_returned(pid_files):
    server, _worker = pid_files
    supervisor = start(command(server), f"{sys.executable} -c 'raise SystemExit(3)'")

    assert supervisor.wait(20) == 3
    assert "ended with status 3; stopping the others" in supervisor.stderr.read()
    if server.exists() and server.read_text():
        assert wait_for(lambda: not any(alive(p) for p in started_pids(server)))


def test_killed_outright_it_takes_the_server_and_the_worker_along(pid_files):
    supervisor = start(*(command(f) for f in pid_files))
    pids = started_pids(*pid_files)
    leaders = [pids[0], pids[2]]

    supervisor.kill()
    supervisor.wait()

    assert wait_for(lambda: not any(alive(pid) for pid in leaders))
    for pid in pids:  # Their own children were not the kernel's to stop.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_make_run_and_serve_start_the_worker_beside_the_server():
    makefile = (BASE_DIR / "Makefile").read_text()
    recipes = {
        target: makefile.split(f"\n{target}: setup\n", 1)[1].split("\n\n", 1)[0]
        for target in ("run", "dev", "serve")
    }

    assert "WORKER := $(BIN)/python manage.py db_worker" in makefile
    for recipe in recipes.values():
        assert "exec $(BIN)/python -m config.processes" in recipe
        assert '"$(WORKER)"' in recipe
    assert "manage.py runserver" in recipes["dev"]
    for target in ("run", "serve"):
        assert "gunicorn --config config/gunicorn.py" in recipes[target]
