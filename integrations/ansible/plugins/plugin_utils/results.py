# -*- coding: utf-8 -*-
# Copyright (c) BatchSource maintainers
# MIT License (see LICENSE)
"""From Ansible's per-host stats (what PLAY RECAP prints) to batch-source's host results."""

from __future__ import annotations

STATUSES = ('ok', 'changed', 'failed', 'unreachable', 'skipped')


def status_of(summary):
    """One host's result from its counters (`AggregateStats.summarize`).

    Unreachable wins over failed and failed over changed, as the recap reads; a rescued or
    ignored failure is not a failure (Ansible does not count it in `failures`); a host on
    which every task was skipped was skipped.
    """
    if summary.get('unreachable', 0) > 0:
        return 'unreachable'
    if summary.get('failures', 0) > 0:
        return 'failed'
    if summary.get('changed', 0) > 0:
        return 'changed'
    if summary.get('ok', 0) == 0 and summary.get('skipped', 0) > 0:
        return 'skipped'
    return 'ok'


def batch_results(batch_hosts, stats, unreported, stopped=(), stopped_as='failed'):
    """Every batch host's result, the batch hosts that no play touched, and those counted as
    stopped.

    `stats` is Ansible's AggregateStats: `processed` names every host a task ran on, in any
    play of the playbook. Hosts outside the batch (localhost, other inventories) are left out;
    batch hosts that no task ran on get `unreported`. `stopped` are hosts still in a play when
    any_errors_fatal or max_fail_percentage ended it: the recap shows them ok, Ansible's retry
    file lists them as failed; without a failure of their own they get `stopped_as`.
    """
    results = {}
    missing = []
    cut_short = []
    stopped = set(stopped)
    for host in batch_hosts:
        if host not in stats.processed:
            results[host] = unreported
            missing.append(host)
            continue
        status = status_of(stats.summarize(host))
        if host in stopped and status not in ('failed', 'unreachable'):
            status = stopped_as
            cut_short.append(host)
        results[host] = status
    return results, missing, cut_short


def counts(results):
    """How many hosts have each result, in the service's order."""
    tally = dict((status, 0) for status in STATUSES)
    for status in results.values():
        tally[status] = tally.get(status, 0) + 1
    return tally


def counts_text(results):
    tally = counts(results)
    return ', '.join('%s %d' % (status, tally[status]) for status in STATUSES)


def will_stop_after(stats):
    """Whether ansible-playbook stops after this playbook file: it does once a host failed
    or was unreachable, so a later file's stats would never come."""
    return bool(stats.failures) or bool(stats.dark)
