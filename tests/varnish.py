"""A real Varnish running the shipped VCL (deploy/varnish/alsblog.vcl) in front of a test's
live server.

`Varnish(host, port)` starts Debian's varnishd in the foreground, in a temporary folder of
its own, with a backends.vcl written for the test and found before the shipped one on
vcl_path: the live server, probed on /health/live/ every 200 ms, healthy at its first good answer
and down after a second of bad ones. `start()` returns once a request through Varnish reaches
it, `stop()` ends it. Without varnishd or the xkey vmod the tests are skipped, saying why;
under CI=true they fail instead (.ci/ensure-varnish installs both).
"""

import glob
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.pgserver import free_port

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish" / "alsblog.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
XKEY = ["/usr/lib/*/varnish/vmods/libvmod_xkey.so", "/usr/lib/varnish/vmods/libvmod_xkey.so"]
# The probe's Host: one of the site's ALLOWED_HOSTS, as in deploy/varnish/backends.vcl.
PROBE_HOST = "localhost"
START_SECONDS = 20


class VarnishFailed(Exception):
    """varnishd did not start, or stopped: the message holds what it printed."""


def missing():
    """Why Varnish cannot run here, or "" when it can."""
    if not Path(VARNISHD).exists():
        return "varnishd is not installed (sudo apt-get install varnish varnish-modules)"
    if not any(glob.glob(pattern) for pattern in XKEY):
        return "the xkey vmod is not installed (sudo apt-get install varnish-modules)"
    return ""


def require():
    """Skip the test when Varnish cannot run here; fail it under CI, which installs it."""
    reason = missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}: .ci/ensure-varnish installs it in CI")
        pytest.skip(reason)


def backends_vcl(host, *ports):
    """App servers on `host` at `ports`, as the `app` director the shipped VCL sends readers
    to, taking turns."""
    address = socket.gethostbyname(host)  # Varnish refuses a name with two addresses
    backends = "".join(
        f"""
backend app{n} {{
    .host = "{address}";
    .port = "{port}";
    .probe = health;
}}
"""
        for n, port in enumerate(ports, 1)
    )
    added = "".join(f"    app.add_backend(app{n});\n" for n in range(1, len(ports) + 1))
    return f"""\
probe health {{
    .request = "GET /health/live/ HTTP/1.1"
        "Host: {PROBE_HOST}"
        "Connection: close";
    .interval = 200ms;
    .timeout = 2s;
    .window = 5;
    .threshold = 1;
}}
{backends}
sub vcl_init {{
    new app = directors.round_robin();
{added}}}
"""


HEALTHY_GRACE = "set req.grace = 60s;"


class Varnish:
    def __init__(self, host, *ports, healthy_grace=None):
        """`healthy_grace`: how long past its time a page is served while the app servers
        answer, instead of the shipped VCL's minute, so that a test need not wait for it."""
        self.folder = Path(tempfile.mkdtemp(prefix="alsblog-varnish-"))
        (self.folder / "backends.vcl").write_text(backends_vcl(host, *ports))
        self.vcl = VCL
        if healthy_grace is not None:
            shipped = VCL.read_text()
            assert shipped.count(HEALTHY_GRACE) == 1, "the VCL's grace line moved"
            self.vcl = self.folder / "alsblog.vcl"
            self.vcl.write_text(shipped.replace(HEALTHY_GRACE, f"set req.grace = {healthy_grace};"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        command = [
            VARNISHD, "-F", "-n", str(self.folder / "work"), "-a", f"127.0.0.1:{self.port}",
            "-f", str(self.vcl), "-p", f"vcl_path={self.folder}:{VCL.parent}",
            "-s", "malloc,32m", "-T", "none",
            # As root, varnishd would drop to its own user, who cannot read our folder.
            *(["-j", "none"] if os.geteuid() == 0 else []),
        ]  # fmt: skip
        with open(self.folder / "output", "wb") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        try:
            self.wait_until_healthy(START_SECONDS)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_until_healthy(self, seconds):
        """Return once a request through Varnish reaches a healthy app server."""
        deadline = time.monotonic() + seconds
        while self.request("GET", "/health/")[0] != 200:
            if self.process.poll() is not None:
                raise VarnishFailed(f"varnishd stopped:\n{self.output()}")
            if time.monotonic() > deadline:
                raise VarnishFailed(f"no healthy backend within {seconds} s:\n{self.output()}")
            time.sleep(0.1)

    def request(self, method, path, headers=None, body=None):
        """(status, reason, headers, body) of `method` `path` through Varnish, or
        (None, error, {}, b"") when it does not answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.reason, response.headers, response.read()
        except OSError as error:
            return None, str(error), {}, b""
        finally:
            connection.close()

    def output(self):
        path = self.folder / "output"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
