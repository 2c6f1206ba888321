"""A small Chrome DevTools Protocol client: starts Debian's chromium headless and drives one
page over its websocket (navigate, evaluate, type, screenshot), recording the page's events
(JavaScript dialogs, exceptions, console and CSP messages) so tests can assert on them."""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket


class DevToolsError(Exception):
    pass


class Browser:
    def __init__(self, width=1280, height=900):
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            raise DevToolsError("chromium is not installed (scripts/ensure-deps.sh installs it)")
        self.profile = tempfile.mkdtemp(prefix="batch-source-chromium-")
        args = [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--metrics-recording-only",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"]
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        port = self._port()
        pages = [t for t in self._json(port, "/json/list") if t.get("type") == "page"]
        if not pages:
            raise DevToolsError("chromium opened no page")
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def _port(self):
        path = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.exists(path):
                with open(path) as f:
                    lines = f.read().split()
                if lines:
                    return int(lines[0])
            if self.process.poll() is not None:
                raise DevToolsError(f"chromium exited with {self.process.returncode}: {self._log_tail()}")
            time.sleep(0.1)
        raise DevToolsError("chromium did not open its DevTools port: " + self._log_tail())

    def _log_tail(self):
        self.log.flush()
        return open(os.path.join(self.profile, "chromium.log"), "rb").read()[-2000:].decode(errors="replace")

    @staticmethod
    def _json(port, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            return json.load(answer)

    def send(self, method, **params):
        self.next_id += 1
        mine = self.next_id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == mine:
                if "error" in message:
                    raise DevToolsError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise DevToolsError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait(self, expression, timeout=15, what=None):
        """Waits until an expression is truthy in the page and returns its value."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = self.evaluate(expression)
            except DevToolsError as error:
                last = error
            if last and not isinstance(last, DevToolsError):
                return last
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what or expression} (last: {last!r})")

    def navigate(self, url):
        self.send("Page.navigate", url=url)

    def type_text(self, text):
        self.send("Input.insertText", text=text)

    def press(self, key, code=None, key_code=0):
        params = dict(key=key, code=code or key, windowsVirtualKeyCode=key_code, nativeVirtualKeyCode=key_code)
        if key == "Enter":
            params["text"] = "\r"
        self.send("Input.dispatchKeyEvent", type="keyDown", **params)
        self.send("Input.dispatchKeyEvent", type="keyUp", **{k: v for k, v in params.items() if k != "text"})

    def resize(self, width, height, mobile=False):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)

    def screenshot(self, path, full=True):
        """The whole page (up to 6000 px tall), or only what the window shows."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize" if full else "cssLayoutViewport"]
        width, height = (size["width"], size["height"]) if full else (size["clientWidth"], size["clientHeight"])
        clip = dict(x=0, y=0, width=width, height=min(height, 6000), scale=1)
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def drain(self):
        """Reads the events that arrived since the last call without a command of its own."""
        self.evaluate("1")
        return self.events

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
