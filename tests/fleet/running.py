"""`make fleet` (deploy/fleet.py) started by a test on free ports, on the database and the
Redis the test gives it; used by tests/fleet/test_fleet.py and test_resilience.py."""

import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY = "The fleet is ready"  # deploy/fleet.py's READY


@contextmanager
def running_fleet(port, apps, database_url, redis_url):
    """Run the fleet with Varnish on `port` and app servers on `apps`; yield the lines it has
    printed (more come) once it says it is ready; stop it, and all it started, after."""
    env = {
        **os.environ,
        "FLEET_PORT": str(port),
        "FLEET_APP_PORTS": ",".join(map(str, apps)),
        "FLEET_DATABASE_URL": database_url,
        "FLEET_REDIS_URL": redis_url,
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "deploy/fleet.py"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines, ready = [], threading.Event()

    def follow():
        for line in process.stdout:
            lines.append(line)
            if line.startswith(READY):
                ready.set()

    threading.Thread(target=follow, daemon=True).start()
    try:
        if not ready.wait(240):
            pytest.fail("the fleet did not start:\n" + "".join(lines[-60:]))
        yield lines
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
