#!/usr/bin/env python3
"""HTTP helpers for inventory-script's end-to-end tests. Each is named for what it stands in for.

  proxy   A fault-injection proxy in front of the real batch-source service. It forwards every
          request unchanged, except that it can first answer N requests with an error status
          (--fail N --status 500 [--retry-after S]), answer with a body that is not JSON
          (--garbage), or never answer (--hang), or forward the service's answer but close the
          connection halfway through its body (--truncate). With --tls-cert/--tls-key it terminates TLS,
          so that the script's HTTPS path is tested against the real service behind it. These
          are the faults and the TLS front the real service cannot be made to produce.
  awx     A test double of AWX's workflow launch endpoint (AWX cannot run here):
          POST /api/v2/workflow_job_templates/<id>/launch/ answers 201 with the new workflow
          job's id, as AWX documents; anything else answers 404.

Every request is appended to --log as one JSON line (method, path, claim_key of a JSON body,
whether an Authorization header came), so tests can check what the client sent. The port is
written to --port-file once the server listens.
"""
import argparse
import http.client
import http.server
import json
import ssl
import sys
import threading
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["proxy", "awx"])
    parser.add_argument("--upstream", help="proxy: base URL of the real service")
    parser.add_argument("--fail", type=int, default=0, help="proxy: answer this many requests with --status")
    parser.add_argument("--status", type=int, default=500)
    parser.add_argument("--retry-after", type=int)
    parser.add_argument("--garbage", action="store_true", help="proxy: answer 200 with a body that is not JSON")
    parser.add_argument("--hang", action="store_true", help="proxy: accept, read the request, never answer")
    parser.add_argument("--truncate", action="store_true", help="proxy: send half of the upstream's body, then close")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--log", required=True)
    parser.add_argument("--port-file", required=True, help="where the port is written once the server listens")
    args = parser.parse_args()

    lock = threading.Lock()
    counter = {"requests": 0, "launches": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def record(self, body):
            claim_key = None
            try:
                claim_key = json.loads(body or b"null").get("claim_key")
            except Exception:
                pass
            entry = {"method": self.command, "path": self.path, "claim_key": claim_key,
                     "authorized": self.headers.get("Authorization", "").startswith("Bearer ")}
            with lock:
                counter["requests"] += 1
                number = counter["requests"]
                with open(args.log, "a") as log:
                    log.write(json.dumps(entry) + "\n")
            return number

        def answer(self, status, body, content_type="application/json", extra=None):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            number = self.record(body)
            if args.mode == "awx":
                return self.awx(body)
            if args.hang:
                time.sleep(3600)
                return
            if number <= args.fail:
                extra = {"Retry-After": str(args.retry_after)} if args.retry_after is not None else {}
                error = {"error": {"code": "injected_fault", "message": f"fault injected by the test proxy ({number}/{args.fail})"}}
                return self.answer(args.status, json.dumps(error).encode(), extra=extra)
            if args.garbage:
                return self.answer(200, b"<html><body>Please log in</body></html>", "text/html")
            self.forward(body)

        def forward(self, body):
            upstream = urllib.parse.urlsplit(args.upstream)
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
            connection.request(self.command, self.path, body=body if body else None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            extra = {k: v for k, v in response.getheaders() if k.lower() in ("retry-after",)}
            connection.close()
            if args.truncate:
                # The whole body's Content-Length, half of the body, then the connection's end.
                self.send_response(response.status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.answer(response.status, data, response.getheader("Content-Type", "application/json"), extra)

        def awx(self, body):
            parts = [p for p in self.path.split("?")[0].split("/") if p]
            if self.command == "POST" and len(parts) == 5 and parts[:3] == ["api", "v2", "workflow_job_templates"] and parts[4] == "launch":
                with lock:
                    counter["launches"] += 1
                    job = 1000 + counter["launches"]
                reply = {"workflow_job": job, "id": job, "type": "workflow_job", "status": "pending",
                         "workflow_job_template": int(parts[3]) if parts[3].isdigit() else parts[3]}
                return self.answer(201, json.dumps(reply).encode())
            self.answer(404, json.dumps({"detail": "Not found."}).encode())

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
