"""A stand-in for a front cache's purge API (Varnish, Fastly or Cloudflare) on 127.0.0.1.

It records every request it gets (method, path, headers, body) and answers what the test
tells it to: 200 by default, with the JSON Cloudflare sends; or another status, to act as a
front cache that is away for a moment.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PurgeServer:
    def __init__(self):
        self.requests = []
        self.status = 200
        self.body = json.dumps({"success": True, "errors": [], "result": {}}).encode()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                    }  # fmt: skip
                )
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            do_PURGE = do_POST = do_GET = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def purged_keys(self):
        """Every key purged so far, from whichever header or body carried it."""
        keys = set()
        for request in self.requests:
            headers = {name.lower(): value for name, value in request["headers"].items()}
            for name in ("xkey-purge", "surrogate-key"):
                keys |= set(headers.get(name, "").split())
            if request["body"]:
                keys |= set(json.loads(request["body"]).get("tags", []))
        return keys
