import Foundation
import Testing

// `make dist`'s inventory-script must load in AWX execution environments (RHEL 9 family:
// glibc 2.34, gcc 11's libstdc++, libcurl 7.76) with nothing installed. These checks fail
// when the link binds a newer glibc symbol version, anything of libstdc++/libgcc_s, a
// versioned libcurl symbol (Debian's CURL_OPENSSL_4), or needs a library beyond glibc's:
// libcurl is not linked but dlopen'd at the first request (the runs with and without it are
// in EndToEndTests' DistScriptEndToEndTests.swift).
//
// The binary is $DIST_INVENTORY_SCRIPT, else dist/inventory-script (`make dist`; `make test`
// builds it first).
@Suite("dist/inventory-script is portable")
struct DistBinaryTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let glibcLibraries: Set<String> = [
        "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libresolv.so.2",
        "ld-linux-x86-64.so.2", "linux-vdso.so.1",
    ]

    static func binary() throws -> String {
        let path =
            ProcessInfo.processInfo.environment["DIST_INVENTORY_SCRIPT"].flatMap { $0.isEmpty ? nil : $0 }
            ?? repoRoot.appendingPathComponent("dist/inventory-script").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw DistError("no dist binary at \(path): run `make dist` (or set DIST_INVENTORY_SCRIPT)")
        }
        return path
    }

    /// Runs a tool to its end with its output in a file (a pipe read can be cut by signals).
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dist-check-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: file) }
        let handle = try FileHandle(forWritingTo: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: file, encoding: .utf8))
    }

    /// `GLIBC_2.34` → (2, 34).
    static func version(_ tag: String, prefix: String) -> [Int]? {
        guard tag.hasPrefix(prefix) else { return nil }
        return tag.dropFirst(prefix.count).split(separator: ".").compactMap { Int($0) }
    }

    @Test("objdump -T: no GLIBC version above 2.34, no GLIBCXX/CXXABI/GCC, no versioned CURL symbol")
    func symbolVersions() throws {
        let (status, output) = try Self.run("objdump", ["-T", try Self.binary()])
        try #require(status == 0, "objdump failed: \(output.prefix(500))")
        var offending: [String] = []
        var glibcSeen = 0
        for line in output.split(separator: "\n") {
            guard let open = line.firstIndex(of: "("), let close = line[open...].firstIndex(of: ")") else { continue }
            let tag = String(line[line.index(after: open)..<close])
            if let v = Self.version(tag, prefix: "GLIBC_") {
                glibcSeen += 1
                if v.lexicographicallyPrecedes([2, 34, 1]) == false { offending.append(String(line)) }
            } else if tag.hasPrefix("GLIBCXX_") || tag.hasPrefix("CXXABI_") || tag.hasPrefix("GCC_")
                || tag.hasPrefix("CURL")
            {
                offending.append(String(line))
            }
        }
        #expect(glibcSeen > 0, "objdump showed no GLIBC symbols at all; is this the right file?")
        #expect(
            offending.isEmpty,
            "symbols a RHEL 9 execution environment cannot bind:\n\(offending.joined(separator: "\n"))")
    }

    @Test("NEEDED and ldd: only glibc's libraries; libcurl is not linked (it is dlopen'd)")
    func libraries() throws {
        let binary = try Self.binary()
        let (pStatus, headers) = try Self.run("objdump", ["-p", binary])
        try #require(pStatus == 0)
        let needed = headers.split(separator: "\n").filter { $0.contains("NEEDED") }.compactMap {
            $0.split(separator: " ").last.map(String.init)
        }
        #expect(
            needed.contains("libc.so.6"),
            "objdump -p showed no NEEDED libc; is this the right file?\n\(headers.prefix(2000))")
        let extra = needed.filter { !Self.glibcLibraries.contains($0) }
        #expect(
            extra.isEmpty, "the binary needs libraries beyond glibc's (libcurl must be dlopen'd, not linked): \(extra)")

        let (status, output) = try Self.run("ldd", [binary])
        try #require(status == 0, "ldd failed: \(output)")
        let unexpected = Self.lddEntries(output).keys.filter { !Self.glibcLibraries.contains($0) }
        #expect(unexpected.isEmpty, "ldd lists libraries beyond glibc's: \(unexpected.sorted())\n\(output)")
    }

    @Test("it runs with nothing but the system: --version names the libcurl it loads")
    func runs() throws {
        let (status, output) = try Self.run(try Self.binary(), ["--version"])
        #expect(status == 0)
        #expect(output.hasPrefix("inventory-script ") && output.contains("libcurl/"))
    }

    /// `libfoo.so.1 => /path (0x…)` and `/lib64/ld-linux-x86-64.so.2 (0x…)` lines, by name.
    static func lddEntries(_ output: String) -> [String: String] {
        var entries: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = parts.first else { continue }
            let name = String(first.split(separator: "/").last ?? first)
            if parts.count >= 3, parts[1] == "=>" {
                entries[name] = String(parts[2])
            } else {
                entries[name] = String(first)
            }
        }
        return entries
    }
}

struct DistError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
