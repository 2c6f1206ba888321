import InventoryModel

/// The service's engine: pools and cursors over one store.
public struct BatchEngine: Sendable {
    public let store: any Store
    public let pools: PoolService
    public let cursors: CursorService

    public init(store: any Store) {
        let cache = RevisionCache()
        self.store = store
        self.pools = PoolService(store: store, cache: cache)
        self.cursors = CursorService(store: store, cache: cache, pools: pools)
    }
}
