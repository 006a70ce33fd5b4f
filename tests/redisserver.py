"""A Redis server of a test's own, on a free port, that the test may stop, start again or
freeze (the shared one on 6379 is never touched)."""

import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest

from tests.pgserver import free_port


@contextmanager
def own_redis():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server (Debian's redis-server package)")
    server = RedisServer(binary, free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()


class RedisServer:
    def __init__(self, binary, port):
        self.binary, self.port, self.process = binary, port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self):
        """Start it (again) on its port, empty, and return once it answers PING."""
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"redis-server did not start on {self.port}")
            time.sleep(0.05)

    def _answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as probe:
                probe.sendall(b"PING\r\n")
                return probe.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        """Stop it, as a Redis that goes down: what it held is lost (it keeps nothing)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def freeze(self):
        """Stop it answering without closing a connection: a Redis that hangs."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


def cache_settings(url):
    """settings.CACHES for the site's cache on the Redis at `url`, with the backoff and the
    short timeouts of production (alsblog/settings.py)."""
    return {
        "default": {
            "BACKEND": "core.redis_cache.BackingOffRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
