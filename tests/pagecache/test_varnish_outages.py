"""The shipped VCL when app servers fail, with stand-in app servers the test controls: one
that does not answer is passed over, and with none answering a reader gets the copy kept, or
a page that says to come back, made by Varnish itself."""

import http.server
import threading
import time

import pytest

from tests.pgserver import free_port
from tests.varnish import Varnish, require

pytestmark = pytest.mark.varnish


class StandIn:
    """An app server: its probe URL answers 200; pages answer as `mode` says: "ok" (a page a
    shared cache may keep for a second), "error" (503, as the site without its database) or
    "hang up" (the connection closed with no answer, as a server that died mid-request)."""

    def __init__(self):
        self.mode, self.asked, self.posted = "ok", [], []
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/health/"):
                    return self.answer(200, b"alive", "no-cache")
                stand_in.asked.append(self.path)
                if stand_in.mode == "hang up":
                    self.close_connection = True
                    return None
                if stand_in.mode == "error":
                    return self.answer(503, b"the site's own page", "no-cache, private")
                page = f"page {self.path} from {stand_in.port}".encode()
                return self.answer(200, page, "public, s-maxage=1, stale-while-revalidate=1")

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stand_in.posted.append(dict(self.headers))
                return self.answer(200, b"sent", "no-store")

            def answer(self, status, body, cache_control):
                self.send_response(status)
                self.send_header("Cache-Control", cache_control)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_ins():
    require()
    started = []

    def start(count):
        started.extend(StandIn() for _ in range(count))
        return started

    yield start
    for stand_in in started:
        stand_in.stop()


def through(*servers, **options):
    return Varnish("127.0.0.1", *(server.port for server in servers), **options).start()


def test_a_read_goes_to_the_next_app_server_when_one_hangs_up(stand_ins):
    dying, well = stand_ins(2)
    dying.mode = "hang up"  # its probe still answers: Varnish cannot know before asking
    varnish = through(dying, well)
    try:
        # Readers Varnish keeps pages for, and readers with pages of their own (passed).
        answers = [varnish.request("GET", f"/articles/{n}/") for n in range(3)]
        answers += [
            varnish.request("GET", f"/articles/{n}/", {"Cookie": "sessionid=abc"})
            for n in range(3, 6)
        ]
    finally:
        varnish.stop()
    assert dying.asked  # it was asked, in turn
    for n, (status, _, _, body) in enumerate(answers):
        assert (status, body) == (200, f"page /articles/{n}/ from {well.port}".encode())


def test_with_no_app_server_answering_readers_get_the_copy_kept(stand_ins):
    (only,) = stand_ins(1)
    varnish = through(only)
    try:
        kept = varnish.request("GET", "/articles/kept/")
        only.stop()  # nothing answers, its probe neither
        time.sleep(2.5)  # past the page's time, and the probe's second of no answers
        status, _, headers, body = varnish.request("GET", "/articles/kept/")
    finally:
        varnish.stop()
    assert (status, body) == (200, kept[3])
    assert int(headers["Age"]) >= 2


def test_with_no_app_server_and_no_copy_readers_are_told_to_come_back_in_a_minute(stand_ins):
    (only,) = stand_ins(1)
    varnish = through(only)
    try:
        only.stop()
        time.sleep(1.5)  # the probe has given up on it
        read = varnish.request("GET", "/articles/never-read/")
        sent = varnish.request(
            "POST", "/articles/x/comments/", {"Content-Type": "text/plain"}, b"my comment"
        )
    finally:
        varnish.stop()
    for status, _, headers, body in (read, sent):
        page = body.decode()
        assert status == 503 and headers["Retry-After"] == "30"
        assert "We are back in a minute" in page and "Guru Meditation" not in page
        assert "go back, and your browser" in page  # what to do with what they sent
        assert headers["Cache-Control"] == "no-store"
        assert "http" not in page  # nothing fetched from anywhere


def test_a_page_the_site_cannot_make_is_served_from_the_copy_kept(stand_ins):
    (site,) = stand_ins(1)
    varnish = through(site, healthy_grace="1s")  # the shipped minute, shortened
    try:
        kept = varnish.request("GET", "/articles/kept/")
        time.sleep(2.5)
        site.mode = "error"  # it answers, without its database: its probe says alive
        again = varnish.request("GET", "/articles/kept/")
        never = varnish.request("GET", "/articles/never-read/")
    finally:
        varnish.stop()
    assert (again[0], again[3]) == (200, kept[3])
    assert (never[0], never[3]) == (503, b"the site's own page")  # its own words, not ours


def test_a_post_reaches_the_app_server_with_the_time_varnish_received_it(stand_ins):
    """comments/posting.py turns away a post that waited too long in an app server's queue,
    by the X-Request-Start that Varnish sets; the one a client sends is not kept."""
    (site,) = stand_ins(1)
    varnish = through(site)
    try:
        before = time.time()
        status, *_ = varnish.request(
            "POST", "/articles/x/comments/", {"X-Request-Start": "t=1000000000.000"}, b"a=1"
        )
        after = time.time()
    finally:
        varnish.stop()
    assert status == 200
    (headers,) = site.posted
    stamp = float(headers["X-Request-Start"].removeprefix("t="))
    assert before - 0.01 <= stamp <= after + 0.01
