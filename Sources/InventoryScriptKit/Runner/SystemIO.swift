#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few system calls inventory-script needs, on plain libc: the script links no Foundation,
/// so that its static build stays small and loads on older glibc.
public enum SystemIO {
    /// Why a file could not be read: the path and the system's reason.
    public struct FileError: Error, Sendable, Hashable {
        public var path: String
        public var reason: String
        /// True when the file simply is not there.
        public var isMissing: Bool

        public init(path: String, reason: String, isMissing: Bool) {
            self.path = path
            self.reason = reason
            self.isMissing = isMissing
        }
    }

    /// The whole file as bytes.
    public static func readFile(_ path: String) throws(FileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            throw FileError(path: path, reason: errorText(code), isMissing: code == ENOENT)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, reason: errorText(errno), isMissing: false)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// Whether a regular file (or a link to one) is at `path` and readable.
    public static func isReadableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG && access(path, R_OK) == 0
    }

    /// Writes all of `bytes` to a file descriptor, through short writes and interrupts.
    public static func writeAll(_ bytes: [UInt8], to fd: Int32) throws(FileError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: "fd \(fd)", reason: errorText(errno), isMissing: false)
            }
            offset += n
        }
    }

    /// A line for stderr; failures to write it are ignored (there is nowhere left to say so).
    public static func printError(_ line: String) {
        try? writeAll(Array((line + "\n").utf8), to: 2)
    }

    public static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Seconds on a clock that never jumps (CLOCK_MONOTONIC).
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Sleeps the whole time, through signals.
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }

    /// The environment as a dictionary.
    public static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            cursor += 1
        }
        return result
    }

    /// The user name: `USER`/`LOGNAME`, else the password database, else the uid.
    public static func userName(environment: [String: String]) -> String {
        for name in ["USER", "LOGNAME"] {
            if let user = environment[name], !user.isEmpty { return user }
        }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        return "uid\(geteuid())"
    }

    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = cString(buffer)
        return name.isEmpty ? "localhost" : name
    }

    /// The running executable's path, from the kernel.
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return cString(buffer[..<n])
    }

    /// Text of a C character buffer up to its first NUL.
    static func cString(_ chars: some Collection<CChar>) -> String {
        String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
