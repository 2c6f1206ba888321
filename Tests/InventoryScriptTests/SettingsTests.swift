import InventoryModel
import InventoryScriptKit
import Synchronization
import Testing

/// Where settings come from and how they are checked.
@Suite("inventory-script settings")
struct SettingsTests {
    static let baseEnv = [
        "BATCH_SOURCE_URL": "http://127.0.0.1:8080/", "BATCH_SOURCE_TOKEN": "bs_a_b", "BATCH_SOURCE_CURSOR": "web",
    ]

    static func resolver(
        _ env: [String: String], files: [String: String] = [:], invokedAs: String = "/srv/project/inventory-script"
    ) -> SettingsResolver {
        SettingsResolver(
            environment: env, invokedAs: invokedAs, executablePath: "/opt/bin/inventory-script",
            userName: "alice", hostName: "bastion", newClaimKey: { "run-fixed" },
            readFile: { (path: String) throws(SystemIO.FileError) -> [UInt8] in
                guard let text = files[path] else {
                    throw SystemIO.FileError(path: path, reason: "No such file or directory", isMissing: true)
                }
                return Array(text.utf8)
            })
    }

    static func resolve(_ env: [String: String], files: [String: String] = [:], args: [String] = ["--list"]) throws
        -> ScriptSettings
    {
        try resolver(env, files: files).resolve(try Invocation.parse(args))
    }

    @Test("the environment alone configures a run; defaults fill the rest")
    func environmentOnly() throws {
        let s = try Self.resolve(Self.baseEnv)
        #expect(s.service.base == "http://127.0.0.1:8080")
        #expect(s.token == "bs_a_b")
        #expect(s.cursor == "web")
        #expect(s.mode == .batch)
        #expect(s.waitSeconds == 0)
        #expect(s.timeoutSeconds == 30)
        #expect(s.retries == 5)
        #expect(s.verifyTLS)
    }

    @Test("outside AWX the consumer is user@hostname and each run makes its own claim key")
    func outsideAWX() throws {
        let s = try Self.resolve(Self.baseEnv)
        #expect(s.consumer == "alice@bastion")
        #expect(s.claimKey == "run-fixed")
        #expect(!s.claimKeyIsGiven)
    }

    @Test("the user and host names are looked up only when the consumer is left to default")
    func namesOnlyWhenNeeded() throws {
        let asked = Mutex(0)
        func lookup(_ name: String) -> String {
            asked.withLock { $0 += 1 }
            return name
        }
        var env = Self.baseEnv
        env["INVENTORY_SOURCE_ID"] = "17"
        for given in [env, Self.baseEnv.merging(["BATCH_SOURCE_CONSUMER": "ci"]) { $1 }] {
            let resolver = SettingsResolver(
                environment: given, invokedAs: "inventory-script", executablePath: nil,
                userName: lookup("alice"), hostName: lookup("bastion"))
            _ = try resolver.resolve(try Invocation.parse(["--list"]))
        }
        #expect(asked.withLock { $0 } == 0)
        let resolver = SettingsResolver(
            environment: Self.baseEnv, invokedAs: "inventory-script", executablePath: nil,
            userName: lookup("alice"), hostName: lookup("bastion"))
        #expect(try resolver.resolve(try Invocation.parse(["--list"])).consumer == "alice@bastion")
        #expect(asked.withLock { $0 } == 2)
    }

    @Test("under AWX the inventory source names the consumer and the update the claim key")
    func underAWX() throws {
        var env = Self.baseEnv
        env["INVENTORY_SOURCE_ID"] = "17"
        env["INVENTORY_UPDATE_ID"] = "4711"
        let s = try Self.resolve(env)
        #expect(s.consumer == "awx-inventory-source-17")
        #expect(s.claimKey == "awx-inventory-update-4711")
        #expect(s.claimKeyIsGiven)

        env["BATCH_SOURCE_CONSUMER"] = "shared-consumer"
        env["BATCH_SOURCE_CLAIM_KEY"] = "k1"
        let explicit = try Self.resolve(env)
        #expect(explicit.consumer == "shared-consumer")
        #expect(explicit.claimKey == "k1")
    }

    @Test("config file < environment < flags")
    func precedence() throws {
        let file = """
            url: http://file.example:1
            cursor: from-file
            timeout: 5
            retries: 2
            mode: pool
            verify_tls: no
            """
        let files = ["/srv/project/inventory-script.yml": file]
        var env = Self.baseEnv
        env["BATCH_SOURCE_URL"] = nil
        env["BATCH_SOURCE_TIMEOUT"] = "7"
        let fromFile = try Self.resolve(env, files: files)
        #expect(fromFile.service.base == "http://file.example:1")
        #expect(fromFile.cursor == "web", "the environment beats the file")
        #expect(fromFile.timeoutSeconds == 7, "the environment beats the file")
        #expect(fromFile.retries == 2)
        #expect(fromFile.mode == .pool)
        #expect(!fromFile.verifyTLS)

        let flagged = try Self.resolve(
            env, files: files, args: ["--list", "--cursor", "from-flag", "--timeout=9", "--mode", "batch"])
        #expect(flagged.cursor == "from-flag")
        #expect(flagged.timeoutSeconds == 9)
        #expect(flagged.mode == .batch)
    }

    @Test("the config file is found beside the path Ansible ran, or named by BATCH_SOURCE_CONFIG or --config")
    func configDiscovery() throws {
        #expect(
            ConfigFile.candidates(
                invokedAs: "/srv/project/inventory-script", executablePath: "/opt/bin/inventory-script") == [
                    "/srv/project/inventory-script.yml", "/srv/project/inventory-script.yaml",
                    "/opt/bin/inventory-script.yml", "/opt/bin/inventory-script.yaml",
                ])
        var env = Self.baseEnv
        env["BATCH_SOURCE_CURSOR"] = nil
        env["BATCH_SOURCE_CONFIG"] = "/etc/bs.yml"
        let files = ["/etc/bs.yml": "cursor: named\n", "/etc/other.yml": "cursor: flagged\n"]
        #expect(try Self.resolve(env, files: files).cursor == "named")
        #expect(
            try Self.resolve(env, files: files, args: ["--list", "--config", "/etc/other.yml"]).cursor == "flagged")

        env["BATCH_SOURCE_CONFIG"] = "/etc/missing.yml"
        let error = try #require(throws: ScriptError.self) { try Self.resolve(env, files: files) }
        #expect(error.kind == .usage)
        #expect(error.message.contains("/etc/missing.yml") && error.message.contains("BATCH_SOURCE_CONFIG"))
    }

    @Test("a config file with an unknown key or a list value is refused, naming the file and the key")
    func badConfigFile() throws {
        var env = Self.baseEnv
        env["BATCH_SOURCE_CONFIG"] = "/etc/bs.yml"
        let typo = try #require(throws: ScriptError.self) {
            try Self.resolve(env, files: ["/etc/bs.yml": "curosr: x\n"])
        }
        #expect(
            typo.message.contains("/etc/bs.yml") && typo.message.contains("curosr") && typo.message.contains("cursor"))
        let list = try #require(throws: ScriptError.self) {
            try Self.resolve(env, files: ["/etc/bs.yml": "cursor: [a, b]\n"])
        }
        #expect(list.message.contains("cursor must be a single value"))
        let notYAML = try #require(throws: ScriptError.self) {
            try Self.resolve(env, files: ["/etc/bs.yml": "cursor: [a\n"])
        }
        #expect(notYAML.message.contains("not valid YAML"))
    }

    @Test("a token file is read, and a token file given as a flag beats a token in the environment")
    func tokenFile() throws {
        var env = Self.baseEnv
        env["BATCH_SOURCE_TOKEN"] = nil
        env["BATCH_SOURCE_TOKEN_FILE"] = "/run/token"
        let files = ["/run/token": "bs_from_file\n", "/run/other": "bs_other\n"]
        #expect(try Self.resolve(env, files: files).token == "bs_from_file")
        env["BATCH_SOURCE_TOKEN"] = "bs_env"
        #expect(try Self.resolve(env, files: files).token == "bs_env", "a token beats a token file of the same level")
        #expect(
            try Self.resolve(env, files: files, args: ["--list", "--token-file", "/run/other"]).token == "bs_other")
    }

    @Test("missing settings name every place to set them; bad values name their source; the token is never echoed")
    func validation() throws {
        var env = Self.baseEnv
        env["BATCH_SOURCE_CURSOR"] = nil
        let missing = try #require(throws: ScriptError.self) { try Self.resolve(env) }
        #expect(missing.kind == .usage && missing.exitStatus == 2)
        #expect(
            missing.message.contains("BATCH_SOURCE_CURSOR") && missing.message.contains("--cursor")
                && missing.message.contains("cursor:"))

        for (key, value, expected) in [
            ("BATCH_SOURCE_URL", "ftp://x", "http:// or https://"),
            ("BATCH_SOURCE_URL", "https://", "no host"),
            ("BATCH_SOURCE_TIMEOUT", "soon", "number of seconds"),
            ("BATCH_SOURCE_TIMEOUT", "0", "above 0"),
            ("BATCH_SOURCE_WAIT", "-1", "number of seconds"),
            ("BATCH_SOURCE_RETRIES", "many", "whole number"),
            ("BATCH_SOURCE_MODE", "all", "batch or pool"),
            ("BATCH_SOURCE_VERIFY_TLS", "maybe", "true or false"),
            ("BATCH_SOURCE_CA_FILE", "/nonexistent/ca.pem", "not a readable file"),
        ] {
            var bad = Self.baseEnv
            bad[key] = value
            let error = try #require(throws: ScriptError.self) { try Self.resolve(bad) }
            #expect(error.message.contains(key), "\(key)=\(value): \(error.message)")
            #expect(error.message.contains(expected), "\(key)=\(value): \(error.message)")
        }

        var spaced = Self.baseEnv
        spaced["BATCH_SOURCE_TOKEN"] = "bs_secret part"
        let token = try #require(throws: ScriptError.self) { try Self.resolve(spaced) }
        #expect(!token.message.contains("secret"))

        var withPassword = Self.baseEnv
        withPassword["BATCH_SOURCE_URL"] = "ftp://user:hunter2@host"
        let url = try #require(throws: ScriptError.self) { try Self.resolve(withPassword) }
        #expect(!url.message.contains("hunter2"))
        let shown = try ServiceURL("https://user:hunter2@host:8443/prefix/", origin: "x")
        #expect(shown.base == "https://user:hunter2@host:8443/prefix")
        #expect(shown.description == "https://…@host:8443/prefix")
    }

    @Test("--help documents every setting with its variable, key, flag and an example")
    func help() {
        let help = HelpText.text
        for spec in SettingSpec.all {
            #expect(
                help.contains(spec.env) && help.contains("--\(spec.flag)") && help.contains("\(spec.fileKey):")
                    && help.contains(spec.example),
                "\(spec.env) is not fully documented")
            #expect(!spec.env.hasPrefix("ANSIBLE_"))
        }
    }
}

@Suite("inventory-script command line")
struct InvocationTests {
    @Test("Ansible's two calls and the flag forms")
    func parses() throws {
        #expect(try Invocation.parse(["--list"]).action == .list)
        #expect(try Invocation.parse(["--host", "web1"]).action == .host("web1"))
        #expect(try Invocation.parse(["--host=web1"]).action == .host("web1"))
        let flagged = try Invocation.parse(["--cursor=c1", "--list", "--wait", "30"])
        #expect(flagged.flags[.cursor]?.text == "c1")
        #expect(flagged.flags[.wait]?.text == "30")
        #expect(flagged.flags[.wait]?.origin == "--wait")
    }

    @Test(
        "what cannot be run is refused with a usage error",
        arguments: [
            [String](), ["--list", "--host", "a"], ["--host"], ["--bogus"], ["list"], ["--cursor"],
        ])
    func refuses(arguments: [String]) {
        #expect(throws: ScriptError.self) { try Invocation.parse(arguments) }
        #expect((try? Invocation.parse(arguments)) == nil)
    }
}
