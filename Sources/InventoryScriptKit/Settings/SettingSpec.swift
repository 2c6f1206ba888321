/// One setting of inventory-script.
public enum SettingKey: String, Sendable, Hashable, CaseIterable {
    case url, token, tokenFile, cursor, consumer, claimKey, mode, wait
    case caFile, verifyTLS, timeout, connectTimeout, retries, retryTime
}

/// How one setting is named in each source (environment, config file, command line) and
/// documented; the single table that `--help`, the environment reader, the config-file reader
/// and the flag parser all use, so they cannot drift apart.
public struct SettingSpec: Sendable {
    public var key: SettingKey
    /// The environment variable. AWX passes source_vars and credential fields as environment
    /// variables and refuses names starting with `ANSIBLE_`; all of these start `BATCH_SOURCE_`.
    public var env: String
    /// The key in the YAML config file.
    public var fileKey: String
    /// The long flag, without `--`.
    public var flag: String
    /// The placeholder for the value in `--help`.
    public var valueName: String
    public var help: String
    public var example: String
    /// Shown as "default: …" in `--help`, when there is one.
    public var defaultText: String?

    public static let all: [SettingSpec] = [
        SettingSpec(
            key: .url, env: "BATCH_SOURCE_URL", fileKey: "url", flag: "url", valueName: "URL",
            help: "Base address of the batch-source service (http or https, optional path prefix).",
            example: "https://batches.example.com:8443"),
        SettingSpec(
            key: .token, env: "BATCH_SOURCE_TOKEN", fileKey: "token", flag: "token", valueName: "TOKEN",
            help:
                "API token with the claim scope (read is enough for --host). Prefer the environment or a token file: "
                + "flags show in `ps`.",
            example: "bs_k3f9_…"),
        SettingSpec(
            key: .tokenFile, env: "BATCH_SOURCE_TOKEN_FILE", fileKey: "token_file", flag: "token-file",
            valueName: "FILE",
            help:
                "Read the token from this file (first line); used when no token is given at the same or a higher "
                + "level.",
            example: "/run/secrets/batch-source-token"),
        SettingSpec(
            key: .cursor, env: "BATCH_SOURCE_CURSOR", fileKey: "cursor", flag: "cursor", valueName: "NAME",
            help: "The cursor (rollout) to take batches from.",
            example: "patch-2024-06"),
        SettingSpec(
            key: .consumer, env: "BATCH_SOURCE_CONSUMER", fileKey: "consumer", flag: "consumer", valueName: "NAME",
            help:
                "Who holds the batch. Default: awx-inventory-source-<INVENTORY_SOURCE_ID> under AWX, else "
                + "user@hostname.",
            example: "deploy@bastion"),
        SettingSpec(
            key: .claimKey, env: "BATCH_SOURCE_CLAIM_KEY", fileKey: "claim_key", flag: "claim-key", valueName: "KEY",
            help:
                "One attempt: the same key always gets the same batch back. Default: "
                + "awx-inventory-update-<INVENTORY_UPDATE_ID> under AWX, else a new key per run.",
            example: "pipeline-4711"),
        SettingSpec(
            key: .mode, env: "BATCH_SOURCE_MODE", fileKey: "mode", flag: "mode", valueName: "batch|pool",
            help:
                "batch: only the batch's hosts. pool: the whole pool revision with the batch as group batch_current "
                + "(for AWX sources with Overwrite on).",
            example: "pool", defaultText: "batch"),
        SettingSpec(
            key: .wait, env: "BATCH_SOURCE_WAIT", fileKey: "wait", flag: "wait", valueName: "SECONDS",
            help: "Keep asking this long while the cursor is paused or no batch is free, instead of failing at once.",
            example: "600", defaultText: "0"),
        SettingSpec(
            key: .caFile, env: "BATCH_SOURCE_CA_FILE", fileKey: "ca_file", flag: "ca-file", valueName: "FILE",
            help:
                "PEM file of the CA(s) that signed the service's certificate. Default: the system store (Debian, "
                + "RHEL, SUSE, Alpine paths; SSL_CERT_FILE or CURL_CA_BUNDLE when set).",
            example: "/etc/pki/ca-trust/source/anchors/internal-ca.pem"),
        SettingSpec(
            key: .verifyTLS, env: "BATCH_SOURCE_VERIFY_TLS", fileKey: "verify_tls", flag: "verify-tls",
            valueName: "BOOL",
            help:
                "Check the service's certificate and host name. Turning it off exposes the token to anyone on the "
                + "path.",
            example: "false", defaultText: "true"),
        SettingSpec(
            key: .timeout, env: "BATCH_SOURCE_TIMEOUT", fileKey: "timeout", flag: "timeout", valueName: "SECONDS",
            help: "Time limit of one request, connection included.",
            example: "60", defaultText: "30"),
        SettingSpec(
            key: .connectTimeout, env: "BATCH_SOURCE_CONNECT_TIMEOUT", fileKey: "connect_timeout",
            flag: "connect-timeout", valueName: "SECONDS",
            help: "Time limit of connecting (TCP and TLS).",
            example: "5", defaultText: "10"),
        SettingSpec(
            key: .retries, env: "BATCH_SOURCE_RETRIES", fileKey: "retries", flag: "retries", valueName: "N",
            help:
                "Retries of a request after connection errors, timeouts and 5xx answers, with exponential backoff "
                + "and jitter.",
            example: "8", defaultText: "5"),
        SettingSpec(
            key: .retryTime, env: "BATCH_SOURCE_RETRY_TIME", fileKey: "retry_time", flag: "retry-time",
            valueName: "SECONDS",
            help: "Upper bound of the time spent retrying one request; no retry starts after it.",
            example: "120", defaultText: "60"),
    ]

    public static func spec(_ key: SettingKey) -> SettingSpec {
        all.first { $0.key == key }!
    }

    /// The environment variable that names the config file.
    public static let configEnv = "BATCH_SOURCE_CONFIG"
}
