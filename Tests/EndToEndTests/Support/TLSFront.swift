import Foundation
import Testing

/// HTTPS in front of the suite's real service: a private CA made with openssl, a server
/// certificate it signed for 127.0.0.1, and the TLS-terminating proxy of
/// Tests/support/test_http_doubles.py using it.
struct TLSFront {
    /// The CA's PEM file, for BATCH_SOURCE_CA_FILE.
    let ca: String
    let proxy: HTTPDouble

    var url: String { "https://127.0.0.1:\(proxy.port)" }

    /// `name`: the scratch subdirectory for the keys, one per caller.
    static func start(_ world: ScriptWorld, name: String) async throws -> TLSFront {
        let dir = world.scratch.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ca = dir.appendingPathComponent("ca.pem").path, caKey = dir.appendingPathComponent("ca.key").path
        let cert = dir.appendingPathComponent("server.pem").path, key = dir.appendingPathComponent("server.key").path
        let csr = dir.appendingPathComponent("server.csr").path, ext = dir.appendingPathComponent("san.ext")
        try Data(
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8
        ).write(to: ext)
        let env = ProcessInfo.processInfo.environment
        for command in [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", ca, "-days", "2", "-subj",
                "/CN=batch-source test CA",
            ],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"],
            [
                "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", cert, "-days", "2",
                "-extfile", ext.path,
            ],
        ] {
            let made = try await runProcess("/usr/bin/openssl", command, environment: env, in: dir)
            try #require(made.status == 0, "openssl \(command[0]) failed: \(made.stderr)")
        }
        let proxy = try await HTTPDouble(
            ["proxy", "--upstream", world.service.url, "--tls-cert", cert, "--tls-key", key],
            python: world.python, directory: world.scratch)
        return TLSFront(ca: ca, proxy: proxy)
    }

    func stop() { proxy.stop() }
}
