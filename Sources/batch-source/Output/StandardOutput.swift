import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes to stdout as Unix tools do: when the reader has gone (`batch-source … | head -3`),
/// the process ends quietly by SIGPIPE instead of trapping in FileHandle.write. SwiftNIO sets
/// SIGPIPE to be ignored, so the end of the pipe arrives here as EPIPE.
enum StandardOutput {
    static func write(_ bytes: some Collection<UInt8>) {
        var rest = Array(bytes)[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written >= 0 {
                rest = rest.dropFirst(written)
            } else if errno == EINTR || errno == EAGAIN {
                continue
            } else if errno == EPIPE {
                signal(SIGPIPE, SIG_DFL)
                raise(SIGPIPE)
                _exit(141)
            } else {
                // stdout is unusable (a full disk, a closed descriptor): say so once and stop.
                let reason = String(cString: strerror(errno))
                FileHandle.standardError.write(Data("batch-source: cannot write to stdout: \(reason)\n".utf8))
                _exit(1)
            }
        }
    }

    static func write(_ text: String) { write(Array(text.utf8)) }
}
