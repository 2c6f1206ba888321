# -*- coding: utf-8 -*-
# Copyright (c) BatchSource maintainers
# MIT License (see LICENSE)
"""AWX's loop: a workflow cannot repeat itself, so after a batch is reported the job launches
its own workflow again while the rollout has hosts left (`has_more`) and its cursor is active."""

from __future__ import annotations

import os

from ansible_collections.batchsource.rollout.plugins.plugin_utils.http import JSONClient


def _first(*values):
    for value in values:
        if value not in (None, ''):
            return value
    return None


def _boolean(value, default=True):
    if value in (None, ''):
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ('0', 'false', 'no', 'off', 'n', 'f')


class Relaunch(object):
    """Where and how to launch the workflow again; `None` from `from_settings` when not asked.

    The workflow template comes from the extra var `batch_source_workflow_template_id` (the
    workflow's own id, set in its extra variables) or BATCH_SOURCE_AWX_WORKFLOW_TEMPLATE_ID;
    AWX's address and token from CONTROLLER_HOST / CONTROLLER_OAUTH_TOKEN (an "Ansible
    Automation Platform" credential, or TOWER_*), or the extra vars batch_source_awx_url /
    batch_source_awx_token.
    """

    def __init__(self, template_id, url, token, verify_ssl, body):
        self.template_id = template_id
        self.url = url
        self.token = token
        self.verify_ssl = verify_ssl
        self.body = body

    @classmethod
    def from_settings(cls, extra_vars, environ=None):
        environ = os.environ if environ is None else environ
        if not _boolean(extra_vars.get('batch_source_relaunch'), True):
            return None
        template_id = _first(extra_vars.get('batch_source_workflow_template_id'), environ.get('BATCH_SOURCE_AWX_WORKFLOW_TEMPLATE_ID'))
        if template_id is None:
            return None
        url = _first(extra_vars.get('batch_source_awx_url'), environ.get('CONTROLLER_HOST'), environ.get('TOWER_HOST'))
        token = _first(extra_vars.get('batch_source_awx_token'), environ.get('CONTROLLER_OAUTH_TOKEN'), environ.get('TOWER_OAUTH_TOKEN'))
        verify = _boolean(_first(extra_vars.get('batch_source_awx_validate_certs'), environ.get('CONTROLLER_VERIFY_SSL'),
                                 environ.get('TOWER_VERIFY_SSL')), True)
        body = extra_vars.get('batch_source_launch_body') or {}
        return cls(str(template_id), url, token, verify, dict(body))

    def problem(self):
        """What is missing to launch, in words; None when nothing is."""
        if not str(self.template_id).isdigit():
            return 'batch_source_workflow_template_id must be the workflow job template\'s numeric id, got %r' % (self.template_id,)
        if not self.url:
            return 'no AWX address to relaunch the workflow: attach an "Ansible Automation Platform" credential (CONTROLLER_HOST) or set batch_source_awx_url'
        if not self.token:
            return 'no AWX token to relaunch the workflow: attach an "Ansible Automation Platform" credential (CONTROLLER_OAUTH_TOKEN) or set batch_source_awx_token'
        if not (self.url.startswith('http://') or self.url.startswith('https://')):
            self.url = 'https://' + self.url
        return None

    def launch(self, timeout=60.0, retries=5, retry_time=60.0):
        """POST …/workflow_job_templates/ID/launch/; returns the new workflow job's id.

        Retried only where AWX cannot have launched anything (no connection, 503), so a retry
        never starts two workflows.
        """
        client = JSONClient(self.url, self.token, verify_tls=self.verify_ssl, timeout=timeout, retries=retries, retry_time=retry_time)
        answer = client.request('POST', '/api/v2/workflow_job_templates/%s/launch/' % self.template_id, self.body,
                                doing='launching AWX workflow template %s at %s' % (self.template_id, client.base_url), retry_unsafe=False)
        answer = answer or {}
        return answer.get('workflow_job', answer.get('id'))
