import Foundation
import Testing

@testable import BatchSource

@Suite("serve settings: flag, then BATCH_SOURCE_* env, then config file")
struct ServeSettingsTests {
    func file(_ text: String) throws -> SettingsFile {
        let path = NSTemporaryDirectory() + "serve-\(UUID().uuidString).yml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try SettingsFile.read(path: path, allowedKeys: ServeSettings.keys)
    }

    @Test("a flag wins over the environment, which wins over the file; defaults fill the rest")
    func precedence() throws {
        let f = try file("listen: 0.0.0.0:9000\nlog_format: json\nmax-body: 16M\ndefault_cursor: demo\n")
        let s = try ServeSettings.resolve(
            SettingsSources(
                flags: ["listen": "127.0.0.1:7000"],
                environment: ["BATCH_SOURCE_LOG_FORMAT": "text", "BATCH_SOURCE_LISTEN": "127.0.0.1:8000"], file: f))
        #expect(s.host == "127.0.0.1" && s.port == 7000)
        #expect(s.logFormat == .text)
        #expect(s.maxBody == 16 << 20)
        #expect(s.defaultCursor == "demo")
        #expect(s.database == .sqlite(path: DatabaseURL.defaultSQLitePath))
        #expect(s.shutdownGraceSeconds == 30)
    }

    @Test("bad values name where they came from; unknown file keys are refused")
    func errors() throws {
        #expect(throws: ConfigurationError.self) { try file("lisen: 1.2.3.4:5\n") }
        do {
            _ = try ServeSettings.resolve(
                SettingsSources(flags: [:], environment: ["BATCH_SOURCE_MAX_BODY": "lots"], file: SettingsFile()))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("BATCH_SOURCE_MAX_BODY"))
        }
        do {
            _ = try ServeSettings.resolve(
                SettingsSources(
                    flags: [:], environment: ["BATCH_SOURCE_BOOTSTRAP_TOKEN": "secret123"], file: SettingsFile()))
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("secret123"), "the token must not be echoed")
        }
    }

    @Test("database URLs: sqlite paths, postgres with the password hidden, others refused")
    func databaseURLs() throws {
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/x.sqlite") == .sqlite(path: "/var/lib/x.sqlite"))
        #expect(try DatabaseURL(parsing: "postgres://u:hunter2@db/x").description == "postgres://u:***@db/x")
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "mysql://db/x") }
    }
}
