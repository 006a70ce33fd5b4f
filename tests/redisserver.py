"""A Redis server of a test's own, on a free port, that the test may stop or freeze (the
shared one on 6379 is never touched)."""

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
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield RedisServer(server, port)
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)


class RedisServer:
    def __init__(self, process, port):
        self.process, self.port = process, port
        self.url = f"redis://127.0.0.1:{port}/0"

    def freeze(self):
        """Stop it answering without closing a connection: a Redis that hangs."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)
