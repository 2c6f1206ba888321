import ArgumentParser
import Foundation
import Synchronization

/// Claim + complete round trips at N connections: each worker is its own consumer and loops
/// claim → complete until the time is up. Prints round trips/s and latency percentiles.
/// With several `--url`s (replicas of one database), worker k talks to URL k mod n; with
/// several `--cursor`s (rollouts at once), it claims from cursor k mod m.
struct ClaimLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claim-load")
    @Option(help: "Service URL; repeat for several replicas.") var url: [String]
    @Option var token: String
    @Option(help: "Cursor to claim from; repeat for several rollouts at once.") var cursor: [String]
    @Option var connections = 64
    @Option var seconds = 10.0

    func run() async throws {
        // One thread per connection, each with its own blocking socket (see SocketHTTP).
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(seconds * 1e9)
        let results = Mutex<(stats: LatencyStats, refused: Int, failure: String?)>((LatencyStats(), 0, nil))
        let group = DispatchGroup()
        for worker in 0..<connections {
            let base = url[worker % url.count]
            let cursor = self.cursor[worker % self.cursor.count]
            group.enter()
            let thread = Thread { [token] in
                defer { group.leave() }
                var stats = LatencyStats()
                var refused = 0
                do {
                    let http = try SocketHTTP(base: base, token: token)
                    while DispatchTime.now().uptimeNanoseconds < end {
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        let (status, body) = try http.call(
                            "POST", "/api/v1/cursors/\(cursor)/claim", json: #"{"consumer":"bench-\#(worker)"}"#)
                        let text = String(decoding: body, as: UTF8.self)
                        guard status == 200 else {
                            refused += 1
                            if status != 409 { throw BenchError("claim answered \(status): \(text.prefix(300))") }
                            continue
                        }
                        guard let id = Self.batchID(text) else {
                            throw BenchError("the cursor ran out of batches; use a larger pool")
                        }
                        let (done, answer) = try http.call(
                            "POST", "/api/v1/cursors/\(cursor)/batches/\(id)/complete",
                            json: #"{"consumer":"bench-\#(worker)"}"#)
                        guard done == 200 else {
                            throw BenchError(
                                "complete answered \(done): \(String(decoding: answer, as: UTF8.self).prefix(300))")
                        }
                        stats.add(DispatchTime.now().uptimeNanoseconds - t0)
                    }
                } catch {
                    results.withLock { $0.failure = $0.failure ?? "\(error)" }
                }
                results.withLock { r in
                    r.stats.merge(stats)
                    r.refused += refused
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        await withCheckedContinuation { continuation in group.notify(queue: .global()) { continuation.resume() } }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (total, refused, failure) = results.withLock { ($0.stats, $0.refused, $0.failure) }
        if let failure { throw BenchError(failure) }
        let rate = Double(total.samples.count) / elapsed
        print(
            String(
                format: "claim+complete: %d round trips in %.1f s = %.0f/s; p50 %.1f ms, p99 %.1f ms (refused %d)",
                total.samples.count, elapsed, rate, total.percentile(50), total.percentile(99), refused))
        print(String(format: "RESULT rate=%.0f p50=%.2f p99=%.2f", rate, total.percentile(50), total.percentile(99)))
    }

    /// The batch id of a claim answer, without a full JSON decode (the client must not be the bottleneck).
    static func batchID(_ text: String) -> Int? {
        guard let r = text.range(of: "\"batch_id\":") else { return nil }
        return Int(text[r.upperBound...].drop { $0 == " " }.prefix { $0.isNumber })
    }
}

/// One consumer claiming and completing sequentially: per-claim latency on this cursor.
struct ClaimLatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claim-latency")
    @Option var url: String
    @Option var token: String
    @Option var cursor: String
    @Option var claims = 200

    func run() async throws {
        let http = BenchHTTP(base: url, token: token, connections: 1)
        var claimStats = LatencyStats()
        for _ in 0..<claims {
            let t0 = DispatchTime.now().uptimeNanoseconds
            var (status, body) = try await http.call(
                .POST, "/api/v1/cursors/\(cursor)/claim", json: #"{"consumer":"latency"}"#)
            claimStats.add(DispatchTime.now().uptimeNanoseconds - t0)
            let text = body.readString(length: body.readableBytes) ?? ""
            guard status == 200, let id = ClaimLoad.batchID(text) else {
                throw BenchError("claim answered \(status): \(text.prefix(200))")
            }
            let (done, _) = try await http.call(
                .POST, "/api/v1/cursors/\(cursor)/batches/\(id)/complete", json: #"{"consumer":"latency"}"#)
            guard done == 200 else { throw BenchError("complete answered \(done)") }
        }
        await http.shutdown()
        print(
            String(
                format: "RESULT p50=%.3f p99=%.3f mean=%.3f", claimStats.percentile(50), claimStats.percentile(99),
                claimStats.meanMs))
    }
}
