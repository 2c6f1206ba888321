import InventoryModel

/// The slice of a cursor's plan that one batch hands out.
struct PlanSlice: Sendable {
    var cursorId: Int
    var revisionId: Int
    var batchId: Int
    var start: Int
    var count: Int
}

/// What a claim (or re-read) transaction decided: the answer without the batch's host vars
/// and groups, and which slice of the plan its hosts are (read after the transaction).
struct ClaimDecision: Sendable {
    var response: ClaimResponse
    var slice: PlanSlice?
}
