import Foundation
import Synchronization
import Testing

/// The batchsource.rollout collection built with `ansible-galaxy collection build` and
/// installed offline (from the tarball, no Galaxy) into a directory of its own, once for the
/// test process: suites point ANSIBLE_COLLECTIONS_PATH at it.
enum InstalledCollection {
    struct Built: Sendable {
        /// `dist`-style output: batchsource-rollout-VERSION.tar.gz.
        let tarball: URL
        /// The directory given to `-p`: it holds ansible_collections/batchsource/rollout.
        let collectionsPath: URL
    }

    private static let once = Mutex<Task<Built, any Error>?>(nil)

    static var source: URL { Fixtures.repoRoot.appendingPathComponent("integrations/ansible") }
    static var ansibleBin: String { Fixtures.repoRoot.appendingPathComponent(".venv/bin").path }

    static func get() async throws -> Built {
        let task = once.withLock { task -> Task<Built, any Error> in
            if let task { return task }
            let made = Task { try await build() }
            task = made
            return made
        }
        return try await task.value
    }

    /// Ansible's environment without the machine's ANSIBLE_* settings and with no network
    /// proxy, so that nothing can reach Galaxy.
    static func cleanEnvironment(home: URL) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("ANSIBLE_") && !$0.key.hasPrefix("BATCH_SOURCE_")
        }
        env["ANSIBLE_HOME"] = home.path
        env["ANSIBLE_GALAXY_SERVER"] = "http://127.0.0.1:9/"
        return env
    }

    private static func build() async throws -> Built {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "batchsource-collection-\(UUID().uuidString)")
        let output = dir.appendingPathComponent("dist"), installed = dir.appendingPathComponent("collections")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let env = cleanEnvironment(home: dir.appendingPathComponent("ansible-home"))
        let built = try await runProcess(
            ansibleBin + "/ansible-galaxy", ["collection", "build", source.path, "--output-path", output.path],
            environment: env)
        try #require(built.status == 0, "ansible-galaxy collection build failed: \(built.stdoutText) \(built.stderr)")
        let tarball = try #require(
            try FileManager.default.contentsOfDirectory(at: output, includingPropertiesForKeys: nil)
                .first {
                    $0.lastPathComponent.hasPrefix("batchsource-rollout-") && $0.lastPathComponent.hasSuffix(".tar.gz")
                }, "no tarball in \(output.path)")
        let install = try await runProcess(
            ansibleBin + "/ansible-galaxy", ["collection", "install", tarball.path, "-p", installed.path, "--offline"],
            environment: env)
        try #require(
            install.status == 0, "ansible-galaxy collection install failed: \(install.stdoutText) \(install.stderr)")
        return Built(tarball: tarball, collectionsPath: installed)
    }
}
