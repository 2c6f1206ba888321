import Foundation

/// Service calls of `play`, retried on refused connections, timeouts and 5xx with a doubling
/// pause (every call it makes is safe to repeat); after the last retry the run stops with
/// exit status 4, the batch still held.
struct ServiceRetry {
    var retries: Int
    var delay: Duration
    var log: (String) -> Void

    func run<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        var pause = delay
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await body()
            } catch let error as ServiceClientError {
                let retryable: Bool
                switch error {
                case .transport: retryable = true
                case .api(let status, _, _, _): retryable = status >= 500
                case .malformed: retryable = false
                }
                guard retryable else { throw error }
                guard attempt <= retries else {
                    throw CLIError("\(doing): \(error) (after \(attempt) attempts); the batch stays held: run again to go on", exitCode: DriveExit.unreachable)
                }
                log("retry: \(doing): \(error); retrying in \(pause)")
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(30))
            }
        }
    }
}
