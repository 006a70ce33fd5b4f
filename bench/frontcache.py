"""The front cache in the benchmark (docs/developers.md, "Performance").

Varnish, with the VCL the project ships (deploy/varnish), in front of the production server,
measured against its ceiling in the same run: nginx serving the very same bytes as a file.
Then how long a change takes to reach readers through Varnish: an article's title is
changed, the worker (as `make run` starts it) sends the purge, and a reader polls the page
through Varnish until the new title shows.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish" / "alsblog.vcl"
CHANGES = 100  # issue 19: p99 of the purge delay over 100 changes


def varnishd():
    found = shutil.which("varnishd") or "/usr/sbin/varnishd"
    return found if Path(found).exists() else None


def nginx():
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


def _wait_for(port, process, what):
    import socket

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at once (exit code {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start on port {port}")


def on_processors(cpus):
    """The start of a command that runs on the processors `cpus` ("1"), or nothing for any."""
    return ["taskset", "-c", cpus] if cpus else []


@contextmanager
def varnish_in_front_of(backend_port, port, cpus=None):
    """Varnish on `port` with the shipped VCL, its one backend the server on `backend_port`;
    on the processors `cpus` ("1") if given."""
    folder = Path(tempfile.mkdtemp(prefix="alsblog-bench-varnish-"))
    (folder / "backends.vcl").write_text(
        f'backend app1 {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}\n'
        "sub vcl_init { new app = directors.round_robin(); app.add_backend(app1); }\n"
    )
    command = [
        *on_processors(cpus),
        varnishd(), "-F", "-n", str(folder / "state"), "-a", f"127.0.0.1:{port}",
        "-f", str(VCL), "-p", f"vcl_path={folder}:{VCL.parent}", "-s", "malloc,64m",
        "-T", "127.0.0.1:0", *(["-j", "none"] if os.geteuid() == 0 else []),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process, "varnishd")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def nginx_serving(body, content_type, port):
    """nginx on `port` answering every request with `body`, from a file."""
    folder = Path(tempfile.mkdtemp(prefix="alsblog-bench-nginx-"))
    (folder / "page.html").write_bytes(body)
    (folder / "nginx.conf").write_text(
        f"""
worker_processes {os.cpu_count()};
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {folder}; proxy_temp_path {folder}; fastcgi_temp_path {folder};
    uwsgi_temp_path {folder}; scgi_temp_path {folder};
    server {{
        listen 127.0.0.1:{port};
        location / {{
            default_type "{content_type}";
            root {folder};
            try_files /page.html =404;
        }}
    }}
}}
"""
    )
    command = [nginx(), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process, "nginx")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


CHANGE_SCRIPT = """
import os, sys, time, urllib.request
import django
django.setup()
from articles import publishing
from articles.models import Article

page = os.environ["BENCH_FRONT_URL"] + os.environ["BENCH_ARTICLE"]
article = Article.objects.get(slug=os.environ["BENCH_ARTICLE"].strip("/").split("/")[-1])
original = article.title


def shown():
    with urllib.request.urlopen(page, timeout=10) as response:
        return response.read().decode()


for number in range(int(os.environ["BENCH_CHANGES"])):
    shown()  # in the front cache before the change
    article.title = f"Benchmark change {number} {time.time_ns()}"
    publishing.save(article)
    changed = time.monotonic()
    while article.title not in shown():
        if time.monotonic() - changed > 10:
            print("never", flush=True)
            break
        time.sleep(0.005)
    else:
        print(f"{time.monotonic() - changed:.4f}", flush=True)
article.title = original
publishing.save(article)
"""


def purge_delays(env, front_url, article_path, changes=CHANGES):
    """Seconds from each change's commit until a reader sees it through the front cache."""
    env = {
        **env, "FRONT_CACHE": "varnish", "FRONT_CACHE_URLS": front_url,
        "BENCH_FRONT_URL": front_url, "BENCH_ARTICLE": article_path,
        "BENCH_CHANGES": str(changes),
    }  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "purges", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        output = subprocess.run(
            [sys.executable, "-c", CHANGE_SCRIPT], cwd=ROOT, env=env, check=True,
            capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    never = output.count("never")
    delays = sorted(float(value) for value in output if value != "never")
    return {"changes": changes, "never": never, "delays": delays}
