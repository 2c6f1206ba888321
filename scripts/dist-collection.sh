#!/usr/bin/env bash
# `make dist`: the Ansible collection batchsource.rollout (integrations/ansible) as
# dist/batchsource-rollout-VERSION.tar.gz, installable offline with
# `ansible-galaxy collection install dist/batchsource-rollout-*.tar.gz`.
set -euo pipefail
cd "$(dirname "$0")/.."

GALAXY="${ANSIBLE_GALAXY:-.venv/bin/ansible-galaxy}"
mkdir -p dist
"$GALAXY" collection build integrations/ansible --output-path dist --force
