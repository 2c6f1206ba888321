# -*- coding: utf-8 -*-
# Copyright (c) BatchSource maintainers
# MIT License (see LICENSE)

from __future__ import annotations

DOCUMENTATION = r"""
name: report
type: aggregate
short_description: Completes the batch-source batch with every host's result at the end of the playbook
description:
  - At the end of the playbook, reads Ansible's own stats of each host of the batch that
    inventory-script handed out (ok, changed, failures, unreachable, skipped, rescued, ignored)
    and completes the batch with exact results (C(ok), C(changed), C(failed), C(unreachable),
    C(skipped)), naming its attempt by consumer and claim key.
  - It reports whatever ended the play, including when every host failed, a host was
    unreachable, C(any_errors_fatal) or C(max_fail_percentage) stopped the play, and across
    several plays; the service then checks the cursor's thresholds.
  - The batch (number, cursor, consumer, claim key) comes from the batch facts that
    inventory-script puts into the C(all) group's vars; the service, token and CA the same
    way inventory-script finds them (C(BATCH_SOURCE_*) environment, which AWX's batch-source
    credential type sets).
  - When the extra var C(batch_source_workflow_template_id) is set (AWX), the AWX workflow is
    launched again after the report while the cursor is active and has hosts left.
  - A report that fails (service down after retries, a conflict such as C(not_holder)) prints
    one line and makes ansible-playbook exit with status 1. The token never appears in output.
  - It is not a stdout callback, so it works beside any (AWX's included); list it in
    C(callbacks_enabled) (after any other aggregate callback that uses the stats).
version_added: 1.0.0
requirements:
  - enabled in C(callbacks_enabled) or C(ANSIBLE_CALLBACKS_ENABLED=batchsource.rollout.report)
  - an inventory from inventory-script (its batch facts)
options:
  url:
    description: Base address of the batch-source service; default the batch fact C(batch_source_url).
    type: str
    env:
      - name: BATCH_SOURCE_URL
    ini:
      - section: batchsource_rollout
        key: url
  token:
    description: API token with the claim scope. Keep it in the environment (AWX's credential sets it).
    type: str
    env:
      - name: BATCH_SOURCE_TOKEN
  token_file:
    description: Read the token from this file (first line) when no token is set.
    type: path
    env:
      - name: BATCH_SOURCE_TOKEN_FILE
    ini:
      - section: batchsource_rollout
        key: token_file
  ca_file:
    description: PEM file of the CA(s) that signed the service's certificate; default the system store.
    type: path
    env:
      - name: BATCH_SOURCE_CA_FILE
    ini:
      - section: batchsource_rollout
        key: ca_file
  verify_tls:
    description: Check the service's certificate and host name.
    type: bool
    default: true
    env:
      - name: BATCH_SOURCE_VERIFY_TLS
    ini:
      - section: batchsource_rollout
        key: verify_tls
  timeout:
    description: Time limit of one request, in seconds.
    type: float
    default: 30
    env:
      - name: BATCH_SOURCE_TIMEOUT
    ini:
      - section: batchsource_rollout
        key: timeout
  retries:
    description: Retries of a request after connection errors, timeouts, 429 and 5xx, with exponential backoff.
    type: int
    default: 5
    env:
      - name: BATCH_SOURCE_RETRIES
    ini:
      - section: batchsource_rollout
        key: retries
  retry_time:
    description: Upper bound of the time spent retrying one request, in seconds.
    type: float
    default: 60
    env:
      - name: BATCH_SOURCE_RETRY_TIME
    ini:
      - section: batchsource_rollout
        key: retry_time
  stopped_hosts:
    description:
      - What a batch host counts as that was still in a play when C(any_errors_fatal) or
        C(max_fail_percentage) ended it, without a failure of its own. The recap shows such
        hosts as ok, but the play did not finish on them (Ansible's retry file lists them).
    type: str
    default: failed
    choices: [failed, skipped, ok]
    env:
      - name: BATCH_SOURCE_STOPPED_HOSTS
    ini:
      - section: batchsource_rollout
        key: stopped_hosts
  unreported_hosts:
    description:
      - What a batch host that no task of the playbook ran on counts as (a play whose
        C(hosts) did not name it, or C(serial) parts that never ran).
    type: str
    default: failed
    choices: [failed, skipped, ok]
    env:
      - name: BATCH_SOURCE_UNREPORTED_HOSTS
    ini:
      - section: batchsource_rollout
        key: unreported_hosts
"""

import os

from ansible import constants as C
from ansible import context
from ansible.plugins.callback import CallbackBase

from ansible_collections.batchsource.rollout.plugins.plugin_utils.awx import Relaunch
from ansible_collections.batchsource.rollout.plugins.plugin_utils.http import JSONClient, RequestError
from ansible_collections.batchsource.rollout.plugins.plugin_utils.results import batch_results, counts_text, will_stop_after

from urllib.parse import quote

# ansible-playbook's exit status when the batch could not be reported (Ansible's generic error).
REPORT_FAILED_EXIT = 1
PREFIX = 'batchsource.rollout.report: '


class ReportError(Exception):
    """The batch was not reported (or the workflow not relaunched): one line says why."""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'batchsource.rollout.report'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._inventory = None
        self._extra_vars = {}
        self._playbooks_started = 0
        self._reported = None
        self._play_hosts = []
        self._stopped = set()

    # The inventory (and the batch facts in it) and the extra vars come with the plays.
    def v2_playbook_on_start(self, playbook):
        self._playbooks_started += 1

    def v2_playbook_on_play_start(self, play):
        manager = play.get_variable_manager()
        if manager is not None:
            self._inventory = getattr(manager, '_inventory', None)
            self._extra_vars = dict(manager.extra_vars or {})
        try:
            # Per serial part, the inventory is restricted to that part's hosts here.
            self._play_hosts = [host.name for host in self._inventory.get_hosts(play.hosts)] if self._inventory is not None else []
        except Exception:  # a pattern that no longer resolves: nothing to mark
            self._play_hosts = []

    def v2_playbook_on_no_hosts_remaining(self):
        # Sent when max_fail_percentage ends the play, or every host of it failed.
        self._stopped.update(self._play_hosts)

    # A failure in a task with any_errors_fatal (or run_once) ends the play for every host of
    # it, as the linear strategy decides; no event says so, so the same rule is applied here.
    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors:
            self._note_fatal(result)

    def v2_runner_on_unreachable(self, result):
        self._note_fatal(result)

    def _note_fatal(self, result):
        task = getattr(result, 'task', None) or getattr(result, '_task', None)
        if task is not None and (getattr(task, 'any_errors_fatal', False) or getattr(task, 'run_once', False)) \
                and not getattr(task, 'ignore_errors', False):
            self._stopped.update(self._play_hosts)

    def v2_playbook_on_stats(self, stats):
        playbooks = len((context.CLIARGS or {}).get('args') or ()) or 1
        # With several playbook files on one command line, the stats come after each; the
        # last one (or the one after which ansible-playbook stops) holds every host's outcome.
        if self._playbooks_started < playbooks and not will_stop_after(stats):
            return
        if (context.CLIARGS or {}).get('check'):
            self._say('check mode (--check): nothing reported; the batch stays held', C.COLOR_WARN)
            return
        try:
            self._report(stats)
        except Exception as failure:  # whatever it was, the batch is not reported: say so and fail
            text = str(failure) if isinstance(failure, ReportError) else 'unexpected %s: %s' % (type(failure).__name__, failure)
            self._say('error: %s' % text, C.COLOR_ERROR)
            # A callback's exceptions are caught and turned into warnings; SystemExit is not,
            # so this is what makes ansible-playbook's exit status say the report failed.
            raise SystemExit(REPORT_FAILED_EXIT)

    def _say(self, text, color=None):
        # stderr: stdout may be a machine-read stdout callback's (json).
        self._display.display(PREFIX + text, color=color, stderr=True)

    def _facts(self):
        if self._inventory is None:
            return None
        group = self._inventory.groups.get('all')
        facts = dict(group.get_vars()) if group is not None else {}
        if 'batch_cursor' not in facts or 'batch_id' not in facts:
            return None
        return facts

    def _client(self, facts):
        url = self.get_option('url') or facts.get('batch_source_url')
        if not url:
            raise ReportError('no service address: set BATCH_SOURCE_URL')
        url = str(url)
        if not (url.startswith('http://') or url.startswith('https://')):
            raise ReportError('BATCH_SOURCE_URL %s must start with http:// or https://' % url)
        token = self.get_option('token')
        token_file = self.get_option('token_file')
        if not token and token_file:
            try:
                with open(os.path.expanduser(token_file)) as handle:
                    token = handle.readline().strip()
            except (IOError, OSError) as failure:
                raise ReportError('cannot read the token file %s: %s' % (token_file, failure.strerror))
        if not token:
            raise ReportError('no API token: set BATCH_SOURCE_TOKEN (a token with the claim scope) or BATCH_SOURCE_TOKEN_FILE')
        return JSONClient(url, str(token).strip(), ca_file=self.get_option('ca_file'), verify_tls=self.get_option('verify_tls'),
                          timeout=self.get_option('timeout'), retries=self.get_option('retries'), retry_time=self.get_option('retry_time'),
                          user_agent='batchsource.rollout.report')

    def _report(self, stats):
        facts = self._facts()
        if facts is None:
            self._say('the inventory has no batch facts (batch_id, batch_cursor) of inventory-script; nothing reported', C.COLOR_WARN)
            return
        cursor = str(facts['batch_cursor'])
        if facts.get('batch_id') is None:
            self._say('cursor %s has no batch for this run (the rollout is done); nothing to report' % cursor)
            return
        batch_id = int(facts['batch_id'])
        client = self._client(facts)
        path = '/api/v1/cursors/%s' % quote(cursor, safe='')
        try:
            batch = client.request('GET', '%s/batches/%d' % (path, batch_id), doing='reading batch %d of cursor %s' % (batch_id, cursor))
            results, missing, cut_short = batch_results(batch.get('hosts') or [], stats, self.get_option('unreported_hosts'),
                                                        self._stopped, self.get_option('stopped_hosts'))
            if cut_short:
                self._say('the play ended early (any_errors_fatal or max_fail_percentage) on %d host(s) of batch %d without a failure of their own '
                          '(e.g. %s); counted as %s (stopped_hosts)' % (len(cut_short), batch_id, ', '.join(cut_short[:3]), self.get_option('stopped_hosts')),
                          C.COLOR_WARN)
            if missing:
                self._say('%d host(s) of batch %d ran no task (e.g. %s); counted as %s (unreported_hosts)'
                          % (len(missing), batch_id, ', '.join(missing[:3]), self.get_option('unreported_hosts')), C.COLOR_WARN)
            body = {'results': results}
            if facts.get('batch_consumer'):
                body['consumer'] = str(facts['batch_consumer'])
            if facts.get('batch_claim_key'):
                body['claim_key'] = str(facts['batch_claim_key'])
            attempt = facts.get('batch_attempt')
            if self._reported is not None and self._reported != results:
                raise ReportError('batch %d of cursor %s was reported after an earlier playbook; the results of the later ones are not counted'
                                  % (batch_id, cursor))
            client.request('POST', '%s/batches/%d/complete' % (path, batch_id), body,
                           doing='completing batch %d of cursor %s at %s' % (batch_id, cursor, client.base_url))
            self._reported = results
            state = client.request('GET', path, doing='reading cursor %s' % cursor) or {}
        except RequestError as failure:
            raise ReportError('%s; batch %d stays held by %s' % (failure, batch_id, facts.get('batch_consumer') or 'its consumer')
                              if failure.status != 409 else str(failure))
        reason = state.get('state_reason')
        self._say('batch %d of cursor %s (attempt %s) completed: %s; the cursor is %s%s, has_more %s'
                  % (batch_id, cursor, attempt, counts_text(results), state.get('state', '?'), ' (%s)' % reason if reason else '',
                     str(bool(state.get('has_more'))).lower()))
        self._relaunch(cursor, state)

    def _relaunch(self, cursor, state):
        relaunch = Relaunch.from_settings(self._extra_vars)
        if relaunch is None:
            return
        if not state.get('has_more') or state.get('state') != 'active':
            self._say('not launching the workflow again: cursor %s is %s, has_more %s' % (cursor, state.get('state'), str(bool(state.get('has_more'))).lower()))
            return
        problem = relaunch.problem()
        if problem:
            raise ReportError(problem)
        try:
            job = relaunch.launch(timeout=self.get_option('timeout'), retries=self.get_option('retries'), retry_time=self.get_option('retry_time'))
        except RequestError as failure:
            raise ReportError('%s; the batch was reported: launch the workflow again by hand to go on' % failure)
        self._say('launched workflow job %s of template %s for the next batch' % (job, relaunch.template_id))
