import Foundation

/// Service calls of `play` and `drive`, retried on refused connections, timeouts and 5xx with
/// a doubling pause (every call they make is safe to repeat: claims give the held batch back,
/// the same results complete once); other answers are thrown as they are.
struct ServiceRetry {
    var retries: Int
    var delay: Duration
    /// Where a line about each retry goes.
    var log: (String) -> Void
    /// The error to throw after the last retry, from "what was done: why (after N attempts)".
    var giveUp: (String) -> any Error = { message in
        CLIError("\(message); the batch stays held: run again to go on", exitCode: DriveExit.unreachable)
    }

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
                    throw giveUp("\(doing): \(error) (after \(attempt) attempts)")
                }
                log("retry: \(doing): \(error); retrying in \(pause)")
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(30))
            }
        }
    }
}
