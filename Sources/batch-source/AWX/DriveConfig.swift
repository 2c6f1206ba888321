import InventoryModel

/// What one `batch-source drive` run is asked to do.
struct DriveConfig: Sendable {
    var cursor: String
    var templateKind: AWXTemplateKind
    var template: String
    var inventorySource: Int?
    /// In inventory-source mode the inventory already holds only the batch; a limit is optional.
    var limit: String?
    var extraVars: JSONObject
    var follow: Bool
    /// What hosts of the batch that no job reported on count as.
    var unreported: HostStatus
    var pollInterval: Duration
    var maxPollInterval: Duration
    var serviceRetries: Int
    var retryDelay: Duration

    var consumer: String { "drive:\(cursor)" }
}
