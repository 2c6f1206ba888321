#!/usr/bin/env python3
"""The dashboard in a real browser: one headless Chromium and one real `batch-source serve`
for the whole suite, with a rollout moved through the API while the page is open.

Screenshots of each screen go to DASHBOARD_ARTIFACTS (default .build/dashboard-screenshots).
Run: BATCH_SOURCE_BIN=.build/debug/batch-source .venv/bin/python Tests/browser/test_dashboard.py
"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from devtools import Browser  # noqa: E402
from service import Service  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HOSTILE = "<img src=x onerror=alert(1)>"
ARTIFACTS = os.environ.get("DASHBOARD_ARTIFACTS", os.path.join(ROOT, ".build", "dashboard-screenshots"))


def fleet():
    """Script JSON of 30 hosts in two groups, one of them named like markup."""
    web = [f"web{i:02d}" for i in range(1, 21)]
    db = [f"db{i:02d}" for i in range(1, 10)] + [HOSTILE]
    return {
        "web": {"hosts": web, "vars": {"tier": "front"}},
        "db": {"hosts": db},
        "_meta": {"hostvars": {"web01": {"http_port": 8080}, HOSTILE: {"note": "<b>bold</b>"}}},
    }


class Dashboard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        binary = os.environ.get("BATCH_SOURCE_BIN") or os.path.join(ROOT, ".build", "debug", "batch-source")
        os.makedirs(ARTIFACTS, exist_ok=True)
        cls.service = Service(binary)
        try:
            cls.viewer = cls.service.token("viewer", "read")
            s = cls.service
            s.api("PUT", "/api/v1/pools/fleet?format=json", fleet())
            s.api("PUT", "/api/v1/pools/side", {"all": {"hosts": ["a1", "a2"]}})
            s.api("POST", "/api/v1/cursors", {"name": "wave", "pool": "fleet", "batch_size": 3, "max_in_flight": 2})
            s.api("POST", "/api/v1/cursors", {"name": "side-run", "pool": "side", "batch_size": 1})
            s.api("PATCH", "/api/v1/cursors/side-run", {"state": "paused"})
            cls.browser = Browser()
        except BaseException:
            cls.service.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "browser", None):
            cls.browser.close()
        cls.service.stop()

    # Helpers ----------------------------------------------------------------------------

    def claim(self, cursor, consumer, key):
        answer = self.service.api("POST", f"/api/v1/cursors/{cursor}/claim", {"consumer": consumer, "claim_key": key})
        return answer["batch"]

    def complete(self, cursor, batch, results=None):
        # As the batch's holder: its consumer and claim key (the service fences everyone else off).
        held = self.service.api("GET", f"/api/v1/cursors/{cursor}/batches/{batch}")
        body = {"results": results or {}, "consumer": held["consumer"]}
        if held.get("claim_key"):
            body["claim_key"] = held["claim_key"]
        self.service.api("POST", f"/api/v1/cursors/{cursor}/batches/{batch}/complete", body)

    def cursor(self, name):
        return self.service.api("GET", f"/api/v1/cursors/{name}")

    def open(self, fragment):
        self.browser.evaluate(f"location.hash = {json.dumps(fragment)}")

    def text(self, selector):
        return self.browser.evaluate(f"(document.querySelector({json.dumps(selector)}) || {{}}).textContent || ''")

    def wait_text(self, selector, needle, timeout=15):
        expression = f"(document.querySelector({json.dumps(selector)}) || {{textContent: ''}}).textContent.includes({json.dumps(needle)})"
        try:
            self.browser.wait(expression, timeout)
        except AssertionError:
            raise AssertionError(f"{selector} does not show {needle!r}: it shows {self.text(selector)!r}; status line: {self.text('#status')!r}")

    def choose(self, select_id, value):
        """Picks an option of a select as a person would, which fires its change event."""
        self.browser.evaluate(f"(() => {{ const s = document.getElementById({json.dumps(select_id)}); s.value = {json.dumps(value)}; "
                              "s.dispatchEvent(new Event('change')); return true; })()")

    def shot(self, name, full=True):
        self.browser.screenshot(os.path.join(ARTIFACTS, name + ".png"), full)

    def sign_in(self, token):
        """A fresh page with no token kept, then the token typed into the form and Enter."""
        b = self.browser
        b.evaluate("sessionStorage.clear(); window.oldPage = true")
        b.navigate(self.service.url + "/ui/#/rollouts")
        b.send("Page.reload", ignoreCache=True)
        b.wait("!window.oldPage && document.readyState === 'complete' && !document.getElementById('sign-in').hidden", what="the sign-in form")
        b.evaluate("document.getElementById('token').focus()")
        b.type_text(token)
        b.press("Enter", key_code=13)
        b.wait("!document.getElementById('who').hidden", what="signed in")
        self.assertEqual(b.evaluate("getComputedStyle(document.getElementById('sign-in')).display"), "none",
                         "the sign-in form is still shown")

    def dialogs(self):
        return [e for e in self.browser.drain() if e["method"] == "Page.javascriptDialogOpening"]

    def problems(self):
        """Exceptions and console errors (a CSP violation is one) the page reported."""
        found = []
        for e in self.browser.drain():
            if e["method"] == "Runtime.exceptionThrown":
                found.append(e["params"]["exceptionDetails"].get("text", "exception"))
            if e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
                entry = e["params"]["entry"]
                # The API's deliberate 4xx answers are logged by Chromium as failed loads.
                if entry.get("source") != "network":
                    found.append(entry["text"])
        return found

    # The suite, in order: each step moves the rollout on -----------------------------------

    def test_1_headers_and_sign_in(self):
        s = self.service
        status, headers, _ = s.raw("GET", "/ui")
        self.assertIn(status, (301, 308))
        self.assertEqual(headers.get("Location"), "/ui/")
        status, headers, body = s.raw("GET", "/ui/")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        csp = headers["Content-Security-Policy"]
        for part in ("default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"):
            self.assertIn(part, csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertNotIn(b"<script>", body, "no inline script")
        status, again, _ = s.raw("GET", "/ui/app.js", headers={"If-None-Match": headers["ETag"]})
        status, js, _ = s.raw("GET", "/ui/app.js")
        self.assertEqual(status, 200)
        self.assertTrue(js["Content-Type"].startswith("text/javascript"))
        self.assertEqual(s.raw("GET", "/ui/app.js", headers={"If-None-Match": js["ETag"]})[0], 304)
        self.assertEqual(s.raw("GET", "/ui/nothing.js")[0], 404)
        self.assertEqual(s.raw("GET", "/api/v1/cursors")[0], 401, "the API still wants its token")
        self.assertEqual(s.api("GET", "/api/v1/whoami", token=self.viewer), {"name": "viewer", "scope": "read"})

        self.browser.navigate(s.url + "/ui/")
        self.browser.wait("!document.getElementById('sign-in').hidden", what="the sign-in form")
        self.shot("0-sign-in")
        self.sign_in(s.admin)
        self.assertEqual(self.text("#who-name"), "bootstrap (admin)")
        url = self.browser.evaluate("location.href")
        self.assertNotIn(s.admin, url)

    def test_2_rollouts_list_follows_the_rollout(self):
        # Batch 1 done with a failure and an unreachable host, batch 2 out with awx-east.
        b1 = self.claim("wave", "awx-east", "job-101")
        self.service.api("POST", "/api/v1/cursors/wave/batches/1/heartbeat",
                         {"consumer": "awx-east", "external_ref": "https://awx.example.test/api/v2/jobs/101/"})
        self.complete("wave", 1, {b1["hosts"][0]: "failed", b1["hosts"][1]: "unreachable"})
        self.claim("wave", "awx-east", "job-102")
        c = self.cursor("wave")
        self.assertEqual((c["progress"]["hosts_done"], c["progress"]["hosts_failed"], c["progress"]["hosts_unreachable"]), (3, 1, 1))
        self.assertEqual((c["progress"]["batches_completed"], c["progress"]["batches_in_flight"], c["progress"]["batches_total"]), (1, 1, 10))

        self.open("#/rollouts")
        row = "tr[data-cursor='wave']"
        self.wait_text(row, "3 of 30 hosts done (10%), 1 failed, 1 unreachable")
        self.wait_text(row, "1 done, 1 in flight, 10 in all")
        self.wait_text(row, "fleet revision 1")
        self.wait_text("tr[data-cursor='side-run']", "paused")
        self.browser.evaluate("window.stillTheSamePage = true")
        self.shot("1-rollouts")

        # The page follows without a reload.
        self.complete("wave", 2)
        self.claim("wave", "awx-west", "job-103")
        self.wait_text(row, "6 of 30 hosts done (20%), 1 failed, 1 unreachable")
        self.wait_text(row, "2 done, 1 in flight, 10 in all")
        self.assertTrue(self.browser.evaluate("window.stillTheSamePage === true"), "the page reloaded")

        # Filters by state and by pool.
        self.choose("filter-state", "paused")
        self.browser.wait("document.querySelectorAll('tr[data-cursor]').length === 1 && !!document.querySelector(\"tr[data-cursor='side-run']\")",
                          what="only the paused rollout")
        self.choose("filter-state", "")
        self.browser.wait("document.querySelectorAll('tr[data-cursor]').length === 2", what="both rollouts again")
        self.choose("filter-pool", "fleet")
        self.browser.wait("document.querySelectorAll('tr[data-cursor]').length === 1 && !!document.querySelector(\"tr[data-cursor='wave']\")",
                          what="only the fleet's rollout")
        self.assertIn("pool=fleet", self.browser.evaluate("location.hash"))
        self.assertEqual(self.problems(), [])

    def test_3_one_rollout(self):
        self.open("#/rollout/wave")
        self.wait_text("[data-field='strip']", "10 batches: 1 done, 1 done with failures, 1 in flight, 7 not handed out yet")
        self.assertEqual(self.browser.evaluate("document.querySelectorAll('.strip .cell').length"), 10)
        self.assertEqual(self.browser.evaluate("document.querySelector('.strip .cell[data-batch=\"1\"]').dataset.kind"), "failed")
        self.wait_text("#next-step", "Batch 3 is out with awx-west")
        self.wait_text("#h-progress + .progress, section[aria-labelledby='h-progress']", "6 of 30 hosts done")
        self.wait_text("section[aria-labelledby='h-settings']", "Batches at once2")
        self.assertTrue(self.browser.evaluate("document.querySelector('.chart .line-done').getAttribute('d').split('L').length > 3"))
        self.shot("2-rollout")

        # Moves on while open: batch 3 done, 4 out.
        self.complete("wave", 3)
        self.claim("wave", "awx-west", "job-104")
        self.wait_text("[data-field='strip']", "2 done, 1 done with failures, 1 in flight, 6 not handed out yet")
        self.wait_text("#next-step", "Batch 4 is out with awx-west")

        # Hosts by result.
        self.choose("hosts-result", "failed")
        failed = self.service.api("GET", "/api/v1/cursors/wave/hosts?result=failed")
        self.assertEqual(failed["total"], 1)
        self.browser.wait(f"document.querySelectorAll('#hosts-table tr[data-host]').length === 1 && "
                          f"document.querySelector('#hosts-table tr[data-host]').dataset.host === {json.dumps(failed['items'][0]['name'])}",
                          what="the failed host")
        self.choose("hosts-result", "")
        self.wait_text("#hosts-range", "1–30 of 30")

    def test_3b_a_thousand_batches_and_more(self):
        s = self.service
        s.api("PUT", "/api/v1/pools/large?format=json", {"all": {"hosts": [f"n{i:04d}" for i in range(1, 2501)]}})
        s.api("POST", "/api/v1/cursors", {"name": "large", "pool": "large", "batch_size": 2, "max_in_flight": 5, "max_fail_percentage": 100})
        for i in range(1, 401):
            batch = self.claim("large", "awx-bulk", f"bulk-{i}")
            self.complete("large", batch["batch_id"], {batch["hosts"][0]: "failed"} if i % 50 == 0 else {})
        for i in range(3):
            self.claim("large", f"awx-{i}", f"open-{i}")
        progress = self.cursor("large")["progress"]
        self.assertEqual((progress["batches_total"], progress["batches_completed"], progress["batches_in_flight"], progress["hosts_failed"]),
                         (1250, 400, 3, 8))
        self.open("#/rollout/large")
        self.wait_text("[data-field='strip']", "1,250 batches: 392 done, 8 done with failures, 3 in flight, 847 not handed out yet", timeout=30)
        self.assertEqual(self.browser.evaluate("document.querySelectorAll('.strip .cell').length"), 1250)
        self.assertEqual(self.browser.evaluate("document.querySelectorAll('.notable li').length"), 11, "8 with failures and 3 in flight listed")
        self.assertTrue(self.browser.evaluate("document.querySelector('.strip').classList.contains('dense')"))
        self.shot("2b-rollout-1250-batches")

    def test_4_hostile_host_name_stays_text(self):
        self.open("#/rollout/wave")
        self.browser.wait("!!document.getElementById('hosts-search')")
        # Typed and sent as a user does; on a loaded machine a key can be lost while the page
        # redraws, so a search that did not take is typed and sent again (at most three times).
        one = "document.querySelectorAll('#hosts-table tr[data-host]').length === 1"
        for attempt in range(3):
            self.browser.evaluate("(e => { e.focus(); e.value = ''; })(document.getElementById('hosts-search'))")
            self.browser.type_text("onerror")
            self.browser.press("Enter", key_code=13)
            try:
                self.browser.wait(one, what="the search's one host", timeout=10)
                break
            except AssertionError:
                if attempt == 2:
                    raise
        self.assertEqual(self.text("#hosts-table tr[data-host] .host-name"), HOSTILE)
        self.assertEqual(self.browser.evaluate("document.querySelectorAll('img[src=\"x\"], main img').length"), 0)
        self.shot("3-hostile-host")
        # The pool's host list shows it, and its variables, as text too.
        self.open("#/pools/fleet")
        self.wait_text("#pool-hosts-range", "1–30 of 30")
        row = f"[...document.querySelectorAll('#pool-hosts tr[data-host]')].find(r => r.dataset.host === {json.dumps(HOSTILE)})"
        self.assertEqual(self.browser.evaluate(f"{row}.querySelector('.host-name').textContent"), HOSTILE)
        self.assertIn("<b>bold</b>", self.browser.evaluate(f"{row}.querySelector('pre').textContent"))
        self.assertEqual(self.browser.evaluate("document.querySelectorAll('main img, main b').length"), 0)
        self.assertEqual(self.dialogs(), [], "a JavaScript dialog opened")

    def test_5_one_batch(self):
        self.open("#/rollout/wave/batch/1")
        self.wait_text("main h1", "Batch 1")
        batch = self.service.api("GET", "/api/v1/cursors/wave/batches/1")
        main = self.text("main")
        counts = {}
        for result in batch["results"].values():
            counts[result] = counts.get(result, 0) + 1
        self.assertEqual((counts.get("failed"), counts.get("unreachable")), (1, 1))
        for needle in ["awx-east", "job-101", "Attempt 1"] + [f"{n} {r}" for r, n in counts.items()]:
            self.assertIn(needle, main)
        self.assertEqual(batch["external_ref"], "https://awx.example.test/api/v2/jobs/101/")
        links = self.browser.evaluate("[...document.querySelectorAll('main a[target=_blank]')].map(a => a.href)")
        self.assertIn("https://awx.example.test/#/jobs/playbook/101/output", links)
        for host in batch["hosts"]:
            self.assertTrue(self.browser.evaluate(f"!!document.querySelector('tr[data-host={json.dumps(host)}]')"))
        self.shot("4-batch")

    def test_6_pause_resume_abort_release_retry_from_the_page(self):
        # The host list answers late, so the Pause button is there before the page has loaded:
        # focus placed on it meanwhile stays when the loading ends.
        self.browser.evaluate("window.realFetch = window.realFetch || window.fetch; window.fetch = (url, init) => "
                              "String(url).includes('/hosts') ? new Promise(r => setTimeout(r, 1500)).then(() => realFetch(url, init)) : realFetch(url, init)")
        self.open("#/rollout/wave")
        self.browser.wait("!!document.querySelector('.actions [data-action=pause]')", what="the Pause button")
        self.browser.evaluate("document.querySelector('.actions [data-action=pause]').focus(); window.focusedAt = Date.now()")
        self.browser.wait("Number(document.getElementById('status').dataset.updatedAt) >= window.focusedAt", what="the page loaded")
        self.browser.evaluate("window.fetch = window.realFetch")
        self.assertEqual(self.browser.evaluate("document.activeElement.dataset.action"), "pause", "loading the page took the focus")
        # Keyboard focus survives the live refreshes while nothing changes.
        self.browser.evaluate("window.before = document.getElementById('status').dataset.updatedAt")
        self.browser.wait("document.getElementById('status').dataset.updatedAt - window.before >= 3000", timeout=10, what="two refreshes")
        self.assertEqual(self.browser.evaluate("document.activeElement.dataset.action"), "pause")
        self.browser.press("Enter", key_code=13)
        self.browser.wait("document.getElementById('confirm').open", what="the confirmation")
        self.assertEqual(self.cursor("wave")["state"], "active", "nothing changes before the confirmation")
        self.shot("5-confirm-pause", full=False)
        self.browser.evaluate("document.getElementById('confirm-ok').click()")
        self.browser.wait("!document.getElementById('confirm').open")
        self.assertEqual(self.cursor("wave")["state"], "paused")
        self.wait_text("#next-step", "Paused")
        self.browser.wait("!!document.querySelector('.actions [data-action=resume]')", what="the Resume button")

        self.browser.evaluate("document.querySelector('.actions [data-action=resume]').click()")
        self.browser.wait("document.getElementById('confirm').open")
        self.browser.evaluate("document.getElementById('confirm-ok').click()")
        self.browser.wait("!document.getElementById('confirm').open")
        self.assertEqual(self.cursor("wave")["state"], "active")

        # Release the batch awx-west holds (4), from its page.
        self.open("#/rollout/wave/batch/4")
        self.browser.wait("!!document.querySelector('[data-action=release]')", what="the Release button")
        self.browser.evaluate("document.querySelector('[data-action=release]').click()")
        self.browser.wait("document.getElementById('confirm').open")
        self.browser.evaluate("document.getElementById('confirm-ok').click()")
        self.browser.wait("!document.getElementById('confirm').open")
        self.assertEqual(self.service.api("GET", "/api/v1/cursors/wave/batches/4")["state"], "available")
        self.browser.wait("!document.querySelector('[data-action=release]')", what="no Release once released")

        # Retry the failed hosts as a new rollout.
        self.open("#/rollout/wave")
        self.browser.wait("!!document.querySelector('.actions [data-action=retry]')", what="the Retry button")
        self.browser.evaluate("document.querySelector('.actions [data-action=retry]').click()")
        self.browser.wait("document.getElementById('confirm').open")
        self.assertEqual(self.browser.evaluate("document.getElementById('confirm-name').value"), "wave-retry")
        self.browser.evaluate("document.getElementById('confirm-ok').click()")
        self.browser.wait("location.hash === '#/rollout/wave-retry'", what="the retry rollout's page")
        retry = self.cursor("wave-retry")
        self.assertEqual((retry["retry_of"], retry["progress"]["total_hosts"]), ("wave", 2))

        # Abort the retry with a reason.
        self.browser.wait("!!document.querySelector('.actions [data-action=abort]')", what="the Abort button")
        self.browser.evaluate("document.querySelector('.actions [data-action=abort]').click()")
        self.browser.wait("document.getElementById('confirm').open")
        self.browser.evaluate("document.getElementById('confirm-reason').focus()")
        self.browser.type_text("hosts are being rebuilt")
        self.browser.evaluate("document.getElementById('confirm-ok').click()")
        self.browser.wait("!document.getElementById('confirm').open")
        aborted = self.cursor("wave-retry")
        self.assertEqual(aborted["state"], "aborted")
        self.assertIn("hosts are being rebuilt", aborted["state_reason"])
        self.wait_text("#next-step", "hosts are being rebuilt")
        self.assertEqual(self.problems(), [])

    def test_7_pools(self):
        self.open("#/pools")
        pool = self.service.api("GET", "/api/v1/pools/fleet")
        self.wait_text("tr[data-pool='fleet'] [data-field='hosts']", str(pool["host_count"]))
        self.assertEqual(pool["host_count"], 30)
        self.assertEqual(self.text("tr[data-pool='fleet'] [data-field='groups']"), str(pool["group_count"]))
        self.shot("6-pools")
        self.open("#/pools/fleet")
        self.wait_text("#pool-hosts-range", "1–30 of 30")
        self.browser.evaluate("document.getElementById('pool-pattern').focus()")
        self.browser.type_text("web1*")
        self.browser.press("Enter", key_code=13)
        expected = self.service.api("GET", "/api/v1/pools/fleet/hosts?pattern=web1*")["total"]
        self.assertEqual(expected, 10)
        self.wait_text("#pool-hosts-range", f"1–{expected} of {expected}")
        self.wait_text("section[aria-labelledby='h-revisions']", "Revision 1 (current)")
        self.shot("7-pool")

    def test_8_read_only_token_sees_no_buttons(self):
        held = self.claim("wave", "awx-north", "job-200")["batch_id"]
        self.open(f"#/rollout/wave/batch/{held}")
        self.browser.wait("!!document.querySelector('[data-action=release]')", what="admin's Release button")
        self.open("#/rollout/wave")
        self.browser.wait("document.querySelectorAll('.actions button').length > 0", what="admin's buttons")
        self.browser.evaluate("document.getElementById('sign-out').click()")
        self.browser.wait("!document.getElementById('sign-in').hidden", what="signed out")
        self.assertIsNone(self.browser.evaluate("sessionStorage.getItem('batch-source.token')"))
        self.sign_in(self.viewer)
        self.assertEqual(self.text("#who-name"), "viewer (read)")
        self.open("#/rollout/wave")
        self.wait_text("[data-field='strip']", "10 batches")
        self.assertEqual(self.browser.evaluate("document.querySelectorAll('main button[data-action]').length"), 0)
        self.open(f"#/rollout/wave/batch/{held}")
        self.wait_text("main", "awx-north")
        self.assertEqual(self.browser.evaluate("document.querySelectorAll('main button[data-action]').length"), 0)
        self.shot("8-read-only-batch")

    def test_9_phone_width(self):
        self.browser.resize(390, 844, mobile=True)
        try:
            self.open("#/rollouts")
            self.wait_text("tr[data-cursor='wave']", "hosts done")
            width = self.browser.evaluate("document.documentElement.scrollWidth")
            self.assertLessEqual(width, 400, "the page scrolls sideways on a phone")
            self.shot("9-rollouts-phone")
            self.open("#/rollout/wave")
            self.wait_text("[data-field='strip']", "10 batches")
            self.assertLessEqual(self.browser.evaluate("document.documentElement.scrollWidth"), 400)
            self.shot("9-rollout-phone", full=False)
        finally:
            self.browser.resize(1280, 900)
        self.assertEqual(self.dialogs(), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
