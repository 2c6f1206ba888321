/// `--help`: every setting with its environment variable, config-file key, flag, default and an
/// example, built from ``SettingSpec/all`` so it cannot leave one out.
public enum HelpText {
    public static var text: String {
        var out = """
            inventory-script \(ScriptVersion.string): an Ansible inventory script that takes hosts in batches from a
            batch-source service (one batch per run, resumable, never a host twice).

            Usage:
              inventory-script --list              print the consumer's batch as inventory JSON (claims one if it holds none)
              inventory-script --host NAME         print one host's vars from the batch held now (claims nothing)
              inventory-script --help | --version

            With Ansible:
              ansible-inventory -i inventory-script --graph
              ansible-playbook -i inventory-script site.yml      # hostvars['localhost'].has_more says if batches remain

            Settings come from, lowest first: a YAML config file (--config FILE, or BATCH_SOURCE_CONFIG, or
            <executable>.yml / <executable>.yaml beside the executable), then environment variables, then flags
            (--flag VALUE or --flag=VALUE).


            """
        for spec in SettingSpec.all {
            out += "  \(spec.env)  |  \(spec.fileKey):  |  --\(spec.flag) \(spec.valueName)\n"
            out += wrap(spec.help, indent: 6)
            var line = "      e.g. \(spec.env)=\(spec.example)"
            if let defaultText = spec.defaultText { line += "   (default: \(defaultText))" }
            out += line + "\n\n"
        }
        out += """
            Config file example (inventory-script.yml beside the executable):
              url: https://batches.example.com:8443
              cursor: patch-2024-06
              ca_file: /etc/pki/ca-trust/source/anchors/internal-ca.pem
              token_file: /run/secrets/batch-source-token

            Under AWX: INVENTORY_SOURCE_ID makes the consumer (awx-inventory-source-ID) and INVENTORY_UPDATE_ID the
            claim key (awx-inventory-update-ID), so a re-run of one inventory update gets the same batch back and a new
            update gets the next batch once the last one was completed. Put BATCH_SOURCE_URL and BATCH_SOURCE_TOKEN in a
            credential, BATCH_SOURCE_CURSOR (and BATCH_SOURCE_MODE: pool when Overwrite is on) in source_vars.
            Requests go through libcurl.so.4, loaded at run time (RHEL: dnf install libcurl; Debian: apt-get install \
            libcurl4).
            Proxies are read from https_proxy / HTTPS_PROXY / http_proxy / all_proxy / no_proxy, as libcurl does.

            Batch facts are `all` vars: has_more, batch_id, batch_cursor, batch_cursor_state, batch_attempt,
            batch_host_count, batch_total_hosts, batch_hosts_done, batch_hosts_failed, batch_hosts_unreachable,
            batches_total, batches_completed, batch_lease_expires_at, batch_consumer, batch_claim_key,
            batch_source_url, batch_inventory_mode. A finished rollout prints an inventory without hosts and
            has_more: false, and exits 0.

            Failures print one line on stderr and nothing on stdout. Exit status: 0 ok, 1 service error or bad answer,
            2 usage or configuration, 3 unreachable / timeout / TLS, 4 token rejected (401/403), 5 cursor or pool not
            found, 6 cursor paused, halted or aborted, or no batch free (see BATCH_SOURCE_WAIT).

            """
        return out
    }

    static func wrap(_ text: String, indent: Int, width: Int = 100) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        var line = pad
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width && line.count > indent {
                out += line + "\n"
                line = pad
            }
            line += (line.count > indent ? " " : "") + word
        }
        if line.count > indent { out += line + "\n" }
        return out
    }
}
