"""Post comments to any site from N concurrent clients for S seconds; print one line of JSON.

A comment form driver that knows no site: the target URL, the form page and the fields are
arguments, so alsblog and a WordPress on the same machine can be measured in the same run
(bench/compare_wordpress.py does that). Each request is a different reader: its own email
and text (the {n} placeholder, unique per request) and its own source address on the
loopback (the whole of 127.0.0.0/8 is local on Linux, no root needed). Both alsblog and
WordPress refuse a second comment from one address within 15 s, so by default every
request opens a new connection from the next address (`--address-per request`); with
`--address-per client` each client keeps one address and one keep-alive connection.

Each client first GETs the form page (--form), when given, and keeps its cookies and the
hidden inputs of the form that posts to URL, then waits (--form-wait: alsblog holds a form
sent within 3 s of its signed timestamp as automated). Answers are counted as accepted (a
302 or 303 redirect, whose Location matches --accepted-location when given), refused (any
other answer below 500), failed (5xx) and errors (the connection failed or timed out).

Examples (the {n} placeholders become "<run>-<client>-<request>"):

  alsblog (python bench/run.py's data set; the redirect names each new comment):

    python bench/post.py http://127.0.0.1:8000/articles/benchmark-article/comments/ \\
        --form http://127.0.0.1:8000/articles/benchmark-article/ --form-wait 3.2 \\
        --field 'name=Bench reader {n}' --field 'email=bench-{n}@example.com' \\
        --field 'body=Benchmark comment {n} about the study' --field website= \\
        --clients 16 --seconds 20 --ids-file /tmp/alsblog-ids.txt

  WordPress (bench/wordpress_server.sh prints the post's URL and ID; 12 here):

    python bench/post.py http://127.0.0.1:8081/wp-comments-post.php \\
        --field 'author=Bench reader {n}' --field 'email=bench-{n}@example.com' \\
        --field url= --field 'comment=Benchmark comment {n} about the study' \\
        --field comment_post_ID=12 --field comment_parent=0 \\
        --clients 16 --seconds 20 --ids-file /tmp/wordpress-ids.txt

  (or, instead of the two ID fields, `--form 'http://127.0.0.1:8081/?p=12'`, which copies
  them from the page's comment form).
"""

import argparse
import http.client
import ipaddress
import itertools
import json
import re
import sys
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie

DEFAULT_ID_PATTERN = r"(?:#comment-|/comments/)(\d+)"  # today's redirect, and the next one


class Addresses:
    """Source addresses on the loopback, handed out in turn: 127.0.0.2, 127.0.0.3, ..."""

    def __init__(self, first):
        self._next = int(ipaddress.IPv4Address(first))
        self._lock = threading.Lock()

    def take(self):
        with self._lock:
            while True:
                address = ipaddress.IPv4Address(self._next)
                self._next += 1
                if address not in ipaddress.IPv4Network("127.0.0.0/8"):
                    raise RuntimeError("ran out of loopback addresses")
                # Skip .0 and .255, which some tools read as network or broadcast addresses,
                # and 127.0.0.1, the server's own.
                if address.packed[3] not in (0, 255) and str(address) != "127.0.0.1":
                    return str(address)


class FormInputs(HTMLParser):
    """The hidden inputs of each form on a page, by the path the form posts to."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.forms = {}
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urllib.parse.urljoin(self.page_url, attrs.get("action") or "")
            self.current = self.forms.setdefault(urllib.parse.urlsplit(action).path, {})
        elif (
            tag == "input"
            and self.current is not None
            and (attrs.get("type") or "").lower() == "hidden"
            and attrs.get("name")
        ):
            self.current[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def connect(url, source, timeout):
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return kind(parts.hostname, parts.port, timeout=timeout, source_address=(source, 0))


def target(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "") or "/"


def fetch_form(form_url, post_url, source, timeout):
    """The cookies the form page sets and the hidden inputs of its form that posts to URL."""
    connection = connect(form_url, source, timeout)
    try:
        connection.request("GET", target(form_url), headers={"User-Agent": "bench/post.py"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        if response.status != 200:
            raise RuntimeError(f"GET {form_url} answered {response.status}")
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    finally:
        connection.close()
    parser = FormInputs(form_url)
    parser.feed(body)
    wanted = urllib.parse.urlsplit(post_url).path
    hidden = parser.forms.get(wanted)
    if hidden is None:  # no form posts there: every hidden input on the page
        hidden = {name: value for form in parser.forms.values() for name, value in form.items()}
    return {name: morsel.value for name, morsel in cookies.items()}, hidden


class Client(threading.Thread):
    def __init__(self, number, options, addresses, start, results):
        super().__init__(daemon=True)
        self.number, self.options, self.addresses = number, options, addresses
        self.start_barrier, self.results = start, results
        self.counter = itertools.count(1)
        self.latencies, self.ids, self.statuses = [], [], {}
        self.accepted = self.refused = self.failed = self.errors = 0
        self.samples = {}  # one example of each kind of refusal and error, to read

    def run(self):
        options = self.options
        cookies, hidden = {}, {}
        try:
            if options.form:
                cookies, hidden = fetch_form(
                    options.form, options.url, self.addresses.take(), options.timeout
                )
        except Exception as error:  # noqa: BLE001 (reported, and the client sits out)
            self.samples["form"] = repr(error)
            self.errors += 1
            self.start_barrier.wait()
            return
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.hidden = hidden
        self.start_barrier.wait()
        deadline = self.results["deadline"]
        connection, source = None, None
        while time.monotonic() < deadline:
            if connection is None:
                source = self.addresses.take()
                connection = connect(options.url, source, options.timeout)
            connection = self.post(connection, source)
            if options.address_per == "request" and connection is not None:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()

    def body_and_headers(self, source):
        values = {
            "n": f"{self.options.run}-{self.number}-{next(self.counter)}",
            "client": str(self.number),
            "address": source,
        }
        fields = dict(self.hidden)
        for name, value in self.options.field:
            fields[name] = value.format(**values)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "bench/post.py",
        }
        for name, value in self.options.header:
            headers[name] = value.format(**values)
        if self.cookie:
            headers["Cookie"] = self.cookie
        return urllib.parse.urlencode(fields), headers

    def post(self, connection, source):
        """Send one comment; return the connection to reuse, or None when it must go."""
        body, headers = self.body_and_headers(source)
        started = time.perf_counter()
        try:
            connection.request("POST", target(self.options.url), body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.errors += 1
            self.samples.setdefault("error", repr(error))
            connection.close()
            return None
        self.latencies.append(time.perf_counter() - started)
        status = response.status
        self.statuses[status] = self.statuses.get(status, 0) + 1
        location = response.getheader("Location") or ""
        if status in (302, 303) and (
            not self.options.accepted_location
            or re.search(self.options.accepted_location, location)
        ):
            self.accepted += 1
            found = re.search(self.options.id_pattern, location)
            if found:
                self.ids.append(found.group(1))
        elif status >= 500:
            self.failed += 1
            self.samples.setdefault(f"failed {status}", summary(content, location))
        else:
            self.refused += 1
            self.samples.setdefault(f"refused {status}", summary(content, location))
        return None if response.will_close else connection


def summary(content, location):
    """A short readable excerpt of an answer: its Location, or its text without the markup."""
    if location:
        return f"Location: {location}"
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", content.decode("utf-8", "replace"),
                  flags=re.S)  # fmt: skip
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
    return text[:300]


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def field(text):
    name, separator, value = text.partition("=")
    if not separator or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def header(text):
    name, separator, value = text.partition(":")
    if not separator or not name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def parse(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("url", help="where the form posts to")
    parser.add_argument(
        "--field",
        type=field,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a form field, repeatable; in VALUE {n} is unique per request ({run}-{client}-"
        "{count}), {client} the client's number and {address} the request's source address. "
        "Overrides a hidden input of the same name copied from --form",
    )
    parser.add_argument(
        "--header", type=header, action="append", default=[], metavar="'NAME: VALUE'",
        help="an extra request header, repeatable, with the same placeholders",
    )  # fmt: skip
    parser.add_argument(
        "--form",
        metavar="URL",
        help="a page each client GETs first, to keep its cookies and the hidden inputs of the "
        "form that posts to the target URL (a CSRF token, a signed timestamp)",
    )
    parser.add_argument(
        "--form-wait", type=float, default=0.0, metavar="SECONDS",
        help="how long to wait after fetching the form before posting (alsblog: 3.2)",
    )  # fmt: skip
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--seconds", type=float, default=20, help="how long to post (20)")
    parser.add_argument(
        "--source", default="127.0.0.2", metavar="ADDRESS",
        help="the first source address; the next ones follow it (127.0.0.2). Give each run "
        "its own range, e.g. 127.1.0.1, 127.2.0.1, when runs follow within 15 s",
    )  # fmt: skip
    parser.add_argument(
        "--address-per",
        choices=["request", "client"],
        default="request",
        help="request: a new connection from a new address for every request (the default, "
        "so flood rules per address see a new reader each time); client: one address and "
        "one keep-alive connection per client",
    )
    parser.add_argument(
        "--run", default=str(int(time.time()) % 100_000),
        help="the first part of {n}, which keeps one run's emails apart from the last's",
    )  # fmt: skip
    parser.add_argument(
        "--accepted-location", metavar="REGEX",
        help="count a redirect as accepted only when its Location matches",
    )  # fmt: skip
    parser.add_argument(
        "--id-pattern", default=DEFAULT_ID_PATTERN, metavar="REGEX",
        help="a regex with one group: the new comment's id in the redirect's Location "
        f"(default {DEFAULT_ID_PATTERN!r})",
    )  # fmt: skip
    parser.add_argument(
        "--ids-file", metavar="PATH",
        help="write the ids of the accepted comments there, one a line",
    )  # fmt: skip
    parser.add_argument("--timeout", type=float, default=10, help="seconds per request (10)")
    options = parser.parse_args(argv)
    if re.compile(options.id_pattern).groups != 1:
        parser.error("--id-pattern needs exactly one group")
    return options


def main(argv=None):
    options = parse(argv)
    addresses = Addresses(options.source)
    results = {}
    ready = threading.Barrier(options.clients + 1)
    clients = [Client(number, options, addresses, ready, results)
               for number in range(1, options.clients + 1)]  # fmt: skip
    for client in clients:
        client.start()
    # Every client waits at the barrier once it has its form (or failed to get one); the
    # clock starts when the last one is in and the form wait is over.
    while ready.n_waiting < options.clients:
        time.sleep(0.01)
    time.sleep(options.form_wait)
    started = time.monotonic()
    results["deadline"] = started + options.seconds
    ready.wait()
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started

    latencies = sorted(latency for client in clients for latency in client.latencies)
    totals = {
        key: sum(getattr(client, key) for client in clients)
        for key in ("accepted", "refused", "failed", "errors")
    }
    statuses, samples = {}, {}
    for client in clients:
        for status, count in client.statuses.items():
            statuses[str(status)] = statuses.get(str(status), 0) + count
        for kind, text in client.samples.items():
            samples.setdefault(kind, text)
    ids = [comment_id for client in clients for comment_id in client.ids]
    if options.ids_file:
        with open(options.ids_file, "w") as out:
            out.writelines(f"{comment_id}\n" for comment_id in ids)

    def ms(seconds):
        return None if seconds is None else round(seconds * 1000, 2)

    print(
        json.dumps(
            {
                "url": options.url,
                "clients": options.clients,
                "seconds": round(elapsed, 2),
                "accepted_per_s": round(totals["accepted"] / elapsed, 1),
                **totals,
                "ids": len(ids),
                "requests": len(latencies),
                "p50_ms": ms(percentile(latencies, 0.50)),
                "p99_ms": ms(percentile(latencies, 0.99)),
                "statuses": statuses,
                "samples": samples,
            }
        ),
        flush=True,
    )
    return 0 if totals["accepted"] else 1


if __name__ == "__main__":
    sys.exit(main())
