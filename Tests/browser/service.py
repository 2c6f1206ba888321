"""A real `batch-source serve` on a free loopback port with its own SQLite file, and plain
JSON calls to its API, for the dashboard's browser tests."""
import json
import os
import secrets
import shutil
import socket
import string
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    def __init__(self, binary):
        self.binary = binary
        self.directory = tempfile.mkdtemp(prefix="batch-source-ui-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = f"sqlite://{self.directory}/state.sqlite"
        alphabet = string.ascii_letters + string.digits
        self.admin = "bs_" + secrets.token_hex(8) + "_" + "".join(secrets.choice(alphabet) for _ in range(40))
        token_file = os.path.join(self.directory, "admin-token")
        with open(token_file, "w") as f:
            f.write(self.admin + "\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("BATCH_SOURCE_")}
        self.log = open(os.path.join(self.directory, "serve.log"), "wb")
        self.process = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--database", self.database,
                                         "--token-file", token_file, "--log-level", "warning"],
                                        stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"batch-source serve exited with {self.process.returncode}: {self.log_tail()}")
            try:
                if self.raw("GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("batch-source serve did not become ready: " + self.log_tail())

    def log_tail(self):
        self.log.flush()
        return open(os.path.join(self.directory, "serve.log"), "rb").read()[-2000:].decode(errors="replace")

    def token(self, name, scope):
        """A new token made on the database, as an operator makes one."""
        out = subprocess.run([self.binary, "token", "create", "--name", name, "--scope", scope, "--database", self.database],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip().splitlines()[-1]

    def raw(self, method, path, body=None, token=None, headers=None, content_type="application/json"):
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for k, v in (headers or {}).items():
            request.add_header(k, v)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def api(self, method, path, body=None, token=None, expect=(200, 201)):
        status, _, data = self.raw(method, path, body, token or self.admin)
        if status not in expect:
            raise AssertionError(f"{method} {path}: {status} {data[:500]!r}")
        return json.loads(data) if data else None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)
