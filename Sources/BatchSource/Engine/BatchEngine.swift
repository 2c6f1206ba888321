import InventoryModel
import Logging

/// The service's engine: pools and cursors over one store.
public struct BatchEngine: Sendable {
    public let store: any Store
    public let pools: PoolService
    public let cursors: CursorService

    /// An engine whose cursors may have no health gates.
    public init(store: any Store, logger: Logger = Logger(label: "batch-source")) {
        self.init(store: store, allowList: .empty, logger: logger)
    }

    /// - Parameters:
    ///   - gateHosts: the hosts health gates may call (the serve setting `gate_hosts`).
    ///   - logger: where audit events go, one JSON line each.
    public init(store: any Store, gateHosts: [String], logger: Logger = Logger(label: "batch-source")) throws {
        let allowList: GateAllowList
        do { allowList = try GateAllowList(gateHosts) } catch {
            throw ConfigurationError("gate_hosts: \(error)")
        }
        self.init(store: store, allowList: allowList, logger: logger)
    }

    private init(store: any Store, allowList: GateAllowList, logger: Logger) {
        let cache = RevisionCache()
        self.store = store
        self.pools = PoolService(store: store, cache: cache)
        self.cursors = CursorService(
            store: store, cache: cache, pools: pools, eventLogger: logger, gateRunner: GateRunner(allowList: allowList))
    }

    /// Stops the gate checks' HTTP client; call before the process ends.
    public func shutdown() async {
        await cursors.gateRunner.shutdown()
    }
}
