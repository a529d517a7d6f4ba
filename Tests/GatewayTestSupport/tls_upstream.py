"""A TLS upstream for the upstream client tests: HTTP/1.1 keep-alive over TLS.

    python3 tls_upstream.py CERT KEY

Listens on 127.0.0.1 (an ephemeral port, printed on the first line of stdout)
and answers every request with a JSON object naming the connection it came on
(numbered from 1), the request's method, target and body length. A target
/bytes/N answers N bytes instead. Runs until stdin closes.
"""
import http.server
import json
import ssl
import sys
import threading

connections = 0
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        global connections
        super().setup()
        with lock:
            connections += 1
            self.number = connections

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/bytes/"):
            count = int(self.path[len("/bytes/"):])
            payload = bytes((i * 7) % 251 for i in range(count))
        else:
            payload = json.dumps({"connection": self.number, "method": self.command,
                                  "target": self.path, "body_bytes": len(body)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()


main()
