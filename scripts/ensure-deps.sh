#!/usr/bin/env bash
# Installs what the build and the tests need and is missing: Debian packages with apt-get,
# ansible-core (pinned) into ./.venv and schemathesis (pinned) into ./.venv-schemathesis from
# PyPI. Safe to run again; does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql-15: the engine tests and the replica tests start their own throwaway cluster.
# openssh-client: the collection's tests make a host unreachable over ssh to a closed port.
# chromium: the dashboard's tests drive it headless (Tests/browser/).
# prometheus: the rollout gate tests query a real server that scrapes an endpoint they control.
DEB_PACKAGES=(libyaml-dev libcurl4-openssl-dev libsqlite3-dev pkg-config python3-venv time postgresql-15 openssh-client chromium prometheus)
ANSIBLE_CORE_VERSION="2.19.14"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else echo "ensure-deps: need root or sudo to run: $*" >&2; exit 1
    fi
}

missing=()
for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "ensure-deps: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! .venv/bin/ansible-inventory --version 2>/dev/null | grep -q "core ${ANSIBLE_CORE_VERSION}"; then
    echo "ensure-deps: installing ansible-core ${ANSIBLE_CORE_VERSION} into .venv"
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check "ansible-core==${ANSIBLE_CORE_VERSION}"
fi

# requests: the seed document's client scripts use it (seed-compatibility tests, benchmarks).
REQUESTS_VERSION="2.34.2"
if ! .venv/bin/python -c "import requests, sys; sys.exit(requests.__version__ != '${REQUESTS_VERSION}')" 2>/dev/null; then
    echo "ensure-deps: installing requests ${REQUESTS_VERSION} into .venv"
    .venv/bin/pip install -q --disable-pip-version-check "requests==${REQUESTS_VERSION}"
fi

# websocket-client: the dashboard's browser tests speak the DevTools protocol with it.
WEBSOCKET_CLIENT_VERSION="1.9.2"
if ! .venv/bin/python -c "import websocket, sys; sys.exit(websocket.__version__ != '${WEBSOCKET_CLIENT_VERSION}')" 2>/dev/null; then
    echo "ensure-deps: installing websocket-client ${WEBSOCKET_CLIENT_VERSION} into .venv"
    .venv/bin/pip install -q --disable-pip-version-check "websocket-client==${WEBSOCKET_CLIENT_VERSION}"
fi

# ansible.posix, for its json stdout callback (the collection's callback is tested beside it):
# taken from the ansible package that pairs with ansible-core 2.19, without its dependencies,
# keeping only that collection in .venv/collections.
ANSIBLE_PACKAGE_VERSION="12.3.0"
POSIX_COLLECTION=.venv/collections/ansible_collections/ansible/posix
if [ ! -f "$POSIX_COLLECTION/plugins/callback/json.py" ]; then
    echo "ensure-deps: installing the ansible.posix collection (from ansible ${ANSIBLE_PACKAGE_VERSION}) into .venv/collections"
    unpacked="$(mktemp -d)"
    .venv/bin/pip install -q --disable-pip-version-check --no-deps --target "$unpacked" "ansible==${ANSIBLE_PACKAGE_VERSION}"
    mkdir -p "$(dirname "$POSIX_COLLECTION")"
    rm -rf "$POSIX_COLLECTION"
    mv "$unpacked/ansible_collections/ansible/posix" "$POSIX_COLLECTION"
    rm -rf "$unpacked"
fi

# schemathesis: the contract run of the API against the running service (Tests/contract/).
# Its own venv, so that its many dependencies cannot move ansible-core's in .venv.
SCHEMATHESIS_VERSION="4.32.5"
if ! .venv-schemathesis/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '${SCHEMATHESIS_VERSION}')" 2>/dev/null; then
    echo "ensure-deps: installing schemathesis ${SCHEMATHESIS_VERSION} into .venv-schemathesis"
    python3 -m venv .venv-schemathesis
    .venv-schemathesis/bin/pip install -q --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
fi
