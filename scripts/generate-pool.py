#!/usr/bin/env python3
"""Generate a large, deterministic Ansible inventory for benchmarks and load tests.

    scripts/generate-pool.py COUNT FORMAT OUTPUT [--seed N]

COUNT   number of hosts, e.g. 100000 or 1000000 (suffixes k and m work: 100k, 1m)
FORMAT  json (inventory-script JSON, as `ansible-inventory --list --export` prints it,
        dict-form groups and `_meta.hostvars`), yaml (the yaml plugin's nested form) or ini
OUTPUT  file to write; `-` writes to standard output

The same COUNT, FORMAT and seed always give the same bytes. The fleet:

  all
  +-- dc1 .. dcD           datacenters (4, or fewer for tiny pools), with datacenter vars
  |   +-- dcN_rRRRR        racks of 40 hosts, each rack holding one role and one env
  +-- role_web, role_app, role_db, role_cache, role_queue   (hosts listed directly, role vars)
  +-- env_prod, env_staging, env_dev                        (hosts listed directly, env vars)

Every host has 3 to 6 vars of mixed types: ansible_host (str, always), rack_unit (int,
always), weight (float, always), then some of maintenance (bool), tags (list), hw (dict),
serial (str). Python 3 standard library only; 1M hosts take well under a minute.
"""

import argparse
import json
import random
import sys

RACK_SIZE = 40
ROLES = [("web", 40), ("app", 25), ("db", 10), ("cache", 15), ("queue", 10)]
ENVS = [("prod", 70), ("staging", 20), ("dev", 10)]
TAGS = ["pci", "gpu", "ssd", "hdd", "legacy", "canary", "ipv6", "nvme", "spot", "reserved"]

ROLE_VARS = {
    "web": {"http_port": 8080, "tls": True, "nginx": {"worker_processes": "auto", "keepalive_timeout": 65}},
    "app": {"app_port": 9000, "jvm_heap_gb": 8, "feature_flags": ["new_checkout", "fast_search"]},
    "db": {"pg_version": 16, "pg_port": 5432, "drain_before_patch": True, "pg_settings": {"max_connections": 400, "shared_buffers": "16GB"}},
    "cache": {"redis_port": 6379, "redis_maxmemory": "24gb", "eviction": "allkeys-lru"},
    "queue": {"kafka_port": 9092, "retention_hours": 168, "replication_factor": 3},
}
ENV_VARS = {
    "prod": {"env": "production", "alerting": "pagerduty", "max_fail_percentage": 5},
    "staging": {"env": "staging", "alerting": "slack", "max_fail_percentage": 20},
    "dev": {"env": "dev", "alerting": None, "max_fail_percentage": 100},
}


def parse_count(text):
    t = text.strip().lower()
    mult = 1
    if t.endswith("k"):
        mult, t = 1000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1000000, t[:-1]
    n = int(float(t) * mult)
    if n < 1:
        raise argparse.ArgumentTypeError("COUNT must be at least 1")
    return n


def weighted(rng, choices):
    total = sum(w for _, w in choices)
    x = rng.random() * total
    for name, w in choices:
        x -= w
        if x < 0:
            return name
    return choices[-1][0]


def build(count, seed):
    """Returns (datacenters, racks, hosts) in inventory order.

    datacenters: [(name, vars)], racks: [(name, dc, role, env, [host indices])],
    hosts: [(name, vars dict)].
    """
    rng = random.Random(seed)
    n_dc = max(1, min(4, count // 1000)) if count >= 1000 else 1
    n_racks = (count + RACK_SIZE - 1) // RACK_SIZE
    datacenters = []
    for d in range(n_dc):
        name = "dc%d" % (d + 1)
        datacenters.append((name, {
            "datacenter": name,
            "subnet": "10.%d.0.0/16" % (d + 1),
            "ntp_server": "ntp.%s.example.net" % name,
            "dns_servers": ["10.%d.0.2" % (d + 1), "10.%d.0.3" % (d + 1)],
        }))
    racks = []
    hosts = []
    rnd = rng.random
    randrange = rng.randrange
    for r in range(n_racks):
        dc_index = r * n_dc // n_racks
        dc = datacenters[dc_index][0]
        role = weighted(rng, ROLES)
        env = weighted(rng, ENVS)
        rack = "%s_r%04d" % (dc, r + 1)
        members = []
        first = r * RACK_SIZE
        for i in range(first, min(count, first + RACK_SIZE)):
            unit = i - first + 1
            name = "%s-%s-%07d.example.net" % (role, dc, i + 1)
            hv = {
                "ansible_host": "10.%d.%d.%d" % (dc_index + 1, ((i + 1) >> 8) & 255, (i + 1) & 255),
                "rack_unit": unit,
                "weight": round(0.5 + rnd(), 3),
            }
            extra = randrange(4)  # 0..3 more vars: 3 to 6 in all
            if extra >= 1:
                hv["maintenance"] = rnd() < 0.02
            if extra >= 2:
                hv["tags"] = [TAGS[randrange(len(TAGS))], TAGS[randrange(len(TAGS))]]
            if extra >= 3:
                hv["hw"] = {"cpus": 8 << randrange(4), "mem_gb": 32 << randrange(4), "vendor": "acme"}
                hv["serial"] = "SN%08X" % (i * 2654435761 & 0xFFFFFFFF)
            members.append(len(hosts))
            hosts.append((name, hv))
        racks.append((rack, dc, role, env, members))
    return datacenters, racks, hosts


def group_index(racks, key):
    """Hosts per role (key=2) or env (key=3), in inventory order, for the names that occur."""
    out = {}
    for rack in racks:
        out.setdefault(rack[key], []).extend(rack[4])
    return out


def write_json(out, datacenters, racks, hosts):
    dumps = json.dumps
    w = out.write
    w('{\n"_meta": {"hostvars": {\n')
    w(",\n".join("%s: %s" % (dumps(n), dumps(v)) for n, v in hosts))
    w("\n}},\n")
    all_children = ["ungrouped"] + [d for d, _ in datacenters]
    roles = group_index(racks, 2)
    envs = group_index(racks, 3)
    all_children += ["role_" + r for r, _ in ROLES if r in roles]
    all_children += ["env_" + e for e, _ in ENVS if e in envs]
    w('"all": %s' % dumps({"children": all_children, "vars": {"ansible_user": "deploy", "batch_pool": "generated"}}))
    for dc, dvars in datacenters:
        kids = [r[0] for r in racks if r[1] == dc]
        w(',\n%s: %s' % (dumps(dc), dumps({"children": kids, "vars": dvars})))
    for rack, dc, role, env, members in racks:
        w(',\n%s: %s' % (dumps(rack), dumps({"hosts": [hosts[i][0] for i in members], "vars": {"rack": rack}})))
    for prefix, table, index in (("role_", ROLE_VARS, roles), ("env_", ENV_VARS, envs)):
        for name in table:
            if name in index:
                w(',\n%s: %s' % (dumps(prefix + name), dumps({"hosts": [hosts[i][0] for i in index[name]], "vars": table[name]})))
    w("\n}\n")


def write_yaml(out, datacenters, racks, hosts):
    # JSON scalars and flow collections are valid YAML; floats always carry a dot, so PyYAML's
    # YAML 1.1 resolver reads them as floats.
    dumps = json.dumps
    w = out.write
    w("# generated by scripts/generate-pool.py: %d hosts\n" % len(hosts))
    w("all:\n  vars:\n    ansible_user: deploy\n    batch_pool: generated\n  children:\n")
    for dc, dvars in datacenters:
        w("    %s:\n      vars:\n" % dc)
        for k, v in dvars.items():
            w("        %s: %s\n" % (k, dumps(v)))
        w("      children:\n")
        for rack, rdc, role, env, members in racks:
            if rdc != dc:
                continue
            w("        %s:\n          vars: {rack: %s}\n          hosts:\n" % (rack, rack))
            w("".join("            %s: %s\n" % (hosts[i][0], dumps(hosts[i][1])) for i in members))
    roles = group_index(racks, 2)
    envs = group_index(racks, 3)
    for prefix, table, index in (("role_", ROLE_VARS, roles), ("env_", ENV_VARS, envs)):
        for name in table:
            if name not in index:
                continue
            w("    %s%s:\n      vars:\n" % (prefix, name))
            for k, v in table[name].items():
                w("        %s: %s\n" % (k, dumps(v)))
            w("      hosts:\n")
            w("".join("        %s:\n" % hosts[i][0] for i in index[name]))


def ini_value(v):
    # Written so that shlex + ast.literal_eval (Ansible's INI rules) give back the same value.
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return v if all(c.isalnum() or c in ".-_/:" for c in v) and not v[:1].isdigit() or _is_ip(v) else '"%s"' % repr(v)
    return '"%s"' % repr(v)


def _is_ip(v):
    return v.count(".") == 3 and all(p.isdigit() for p in v.split("."))


def ini_var_value(v):
    # [group:vars] values are not shlex-split: the text after `=` goes to literal_eval as is.
    if isinstance(v, str):
        return v
    return repr(v)


def write_ini(out, datacenters, racks, hosts):
    w = out.write
    w("# generated by scripts/generate-pool.py: %d hosts\n" % len(hosts))
    for rack, dc, role, env, members in racks:
        w("[%s]\n" % rack)
        w("".join("%s %s\n" % (hosts[i][0], " ".join("%s=%s" % (k, ini_value(v)) for k, v in hosts[i][1].items()))
                  for i in members))
        w("[%s:vars]\nrack=%s\n" % (rack, rack))
    for dc, dvars in datacenters:
        w("[%s:children]\n" % dc)
        w("".join("%s\n" % r[0] for r in racks if r[1] == dc))
        w("[%s:vars]\n" % dc)
        w("".join("%s=%s\n" % (k, ini_var_value(v)) for k, v in dvars.items()))
    roles = group_index(racks, 2)
    envs = group_index(racks, 3)
    for prefix, table, index in (("role_", ROLE_VARS, roles), ("env_", ENV_VARS, envs)):
        for name in table:
            if name not in index:
                continue
            w("[%s%s]\n" % (prefix, name))
            w("".join("%s\n" % hosts[i][0] for i in index[name]))
            w("[%s%s:vars]\n" % (prefix, name))
            w("".join("%s=%s\n" % (k, ini_var_value(v)) for k, v in table[name].items()))
    w("[all:vars]\nansible_user=deploy\nbatch_pool=generated\n")


def main(argv=None):
    p = argparse.ArgumentParser(description="Generate a large deterministic Ansible inventory.")
    p.add_argument("count", type=parse_count, help="number of hosts (100000, 100k, 1m)")
    p.add_argument("format", choices=["json", "yaml", "ini"])
    p.add_argument("output", help="output file, or - for stdout")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = p.parse_args(argv)

    datacenters, racks, hosts = build(args.count, args.seed)
    writer = {"json": write_json, "yaml": write_yaml, "ini": write_ini}[args.format]
    if args.output == "-":
        writer(sys.stdout, datacenters, racks, hosts)
    else:
        tmp = args.output + ".tmp"
        with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as out:
            writer(out, datacenters, racks, hosts)
        import os
        os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
