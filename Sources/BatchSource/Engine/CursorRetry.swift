import Foundation
import InventoryModel

extension CursorService {
    /// A new cursor over the hosts of `name` with the selected results, on the same pool
    /// revision: in the old plan's order, a host order, or by when their batch completed
    /// (`newest_first` undoes what was done, the last first). Tiers are not carried over: the
    /// hosts are already the chosen ones, in the chosen order.
    public func retry(_ name: String, _ request: RetryRequest, actor: String? = nil) async throws -> CursorInfo {
        try Names.check(request.name, kind: "cursor")
        let statuses = Array(Set(request.select)).sorted { $0.rawValue < $1.rawValue }
        let (old, selected) = try await store.read { tx -> (CursorRow, [(host: Int, position: Int, doneAt: Double)]) in
            let c = try CursorRow.load(tx, name: name)
            let marks = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
            // The batch of a position is the last one starting at or before it (batches_by_start).
            let rows = try tx.rows(
                """
                SELECT p.host_idx, p.position, (SELECT b.completed_at FROM batches b WHERE b.cursor_id = p.cursor_id
                    AND b.start_position <= p.position ORDER BY b.start_position DESC LIMIT 1) AS done_at
                FROM cursor_plan p WHERE p.cursor_id = ? AND p.status IN (\(marks)) ORDER BY p.position
                """, [SQLValue(c.id)] + statuses.map { .text($0.rawValue) })
            return (
                c,
                try rows.map { row in
                    (try row.int("host_idx"), try row.int("position"), try row["done_at"].double ?? 0)
                }
            )
        }
        guard !selected.isEmpty else {
            throw EngineError.invalid(
                "cursor \(name) has no hosts with the results \(statuses.map(\.rawValue).joined(separator: ", ")) "
                    + "to retry")
        }
        var settings = old.settings
        settings.tiers = []
        settings.pauseBetweenTiers = false
        if let size = request.batchSize { settings.batchSize = size }
        var ordered = selected.map(\.host)
        switch request.order {
        case nil: break
        case .hosts(let order):
            settings.order = order
            if let problem = settings.problem { throw EngineError.invalid(problem) }
            ordered = order.apply(
                to: ordered, in: try await pools.loadInventory(revisionId: old.revisionId), seed: settings.seed ?? "")
        case .newestFirst:
            ordered = selected.sorted { ($0.doneAt, $0.position) > ($1.doneAt, $1.position) }.map(\.host)
        case .oldestFirst:
            ordered = selected.sorted { ($0.doneAt, $0.position) < ($1.doneAt, $1.position) }.map(\.host)
        }
        if let problem = settings.problem { throw EngineError.invalid(problem) }
        return try await insert(
            name: request.name, settings: settings, revisionId: old.revisionId, hostIndices: ordered,
            tierEnds: [ordered.count], retryOf: name, actor: actor)
    }
}
