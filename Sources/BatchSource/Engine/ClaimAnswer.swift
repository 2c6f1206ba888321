import InventoryModel

/// The slice of a cursor's plan that one batch hands out.
struct PlanSlice: Sendable {
    var cursorId: Int
    var revisionId: Int
    var batchId: Int
    var start: Int
    var count: Int
}

/// A claim (or re-read) answer with the batch's inventory still encoded, so the HTTP layer
/// can copy it into the response as it is.
struct ClaimAnswer: Sendable {
    /// What the claim transaction decided: the answer without the batch's hosts, and which
    /// slice of the plan they are.
    struct Decided: Sendable {
        var response: ClaimResponse
        var slice: PlanSlice?
    }

    /// The answer; its batch lists its hosts but carries no `hostvars` or `groups`.
    var response: ClaimResponse
    var inventory: BatchInventory?

    /// The answer with the batch's host vars and groups as values, as in-process callers want it.
    func withInventory() throws -> ClaimResponse {
        var response = self.response
        if let inventory, response.batch != nil {
            let (hostvars, groups) = try inventory.decoded()
            response.batch?.hostvars = hostvars
            response.batch?.groups = groups
        }
        return response
    }
}
