import InventoryModel

/// Does what the command line asked and returns the bytes to print; prints nothing itself, so
/// that stdout gets the whole inventory or nothing.
public struct ScriptRunner {
    public let settings: ScriptSettings
    public let client: BatchSourceClient
    public let clock: any ScriptClock
    /// Where progress notes go (stderr): Ansible shows a script's stderr only when it fails.
    public let note: (String) -> Void

    public init(
        settings: ScriptSettings, client: BatchSourceClient, clock: any ScriptClock = SystemClock(),
        note: @escaping (String) -> Void = { _ in }
    ) {
        self.settings = settings
        self.client = client
        self.clock = clock
        self.note = note
    }

    /// `--list`: claims (or gets back) the consumer's batch and renders it.
    public func list() throws(ScriptError) -> [UInt8] {
        let inventory: Inventory
        switch settings.mode {
        case .batch:
            let claim = try claimWaiting { () throws(ScriptError) in
                try client.claim(cursor: settings.cursor, consumer: settings.consumer, claimKey: settings.claimKey)
            }
            inventory = try InventoryRendering.batchInventory(claim, facts: BatchFacts.vars(claim, settings: settings))
        case .pool:
            // The cursor first: it names the pool and the pinned revision, and a wrong cursor
            // name fails before anything is claimed.
            let cursor = try client.cursorInfo(settings.cursor)
            let claim = try claimWaiting { () throws(ScriptError) in
                try client.claim(cursor: settings.cursor, consumer: settings.consumer, claimKey: settings.claimKey)
            }
            let pool = try client.poolInventory(pool: cursor.settings.pool, revision: cursor.poolRevision)
            inventory = try InventoryRendering.poolInventory(
                pool, poolName: cursor.settings.pool, revision: cursor.poolRevision,
                claim: claim, facts: BatchFacts.vars(claim, settings: settings))
        }
        return InventoryRendering.output(inventory)
    }

    /// `--host NAME`: the host's vars from what the consumer holds now; claims nothing.
    public func host(_ name: String) throws(ScriptError) -> [UInt8] {
        let vars: JSONObject
        switch settings.mode {
        case .batch:
            let key = settings.claimKeyIsGiven ? settings.claimKey : nil
            guard
                let claim = try client.currentClaim(cursor: settings.cursor, consumer: settings.consumer, claimKey: key)
            else {
                note(
                    "inventory-script: \(settings.consumer) holds no batch of cursor \(settings.cursor) now, so "
                        + "\(name) has no vars here (--list claims one)"
                )
                return InventoryRendering.output(.object([:]))
            }
            let inventory = try InventoryRendering.batchInventory(claim, facts: [:])
            vars = InventoryRendering.hostVars(name, in: inventory)
        case .pool:
            let cursor = try client.cursorInfo(settings.cursor)
            let pool = try client.poolInventory(pool: cursor.settings.pool, revision: cursor.poolRevision)
            let inventory: Inventory
            do {
                inventory = try ScriptJSONReader.read(pool, source: "pool \(cursor.settings.pool)")
            } catch {
                throw ScriptError(
                    .badAnswer,
                    "the service's inventory of pool \(cursor.settings.pool) revision \(cursor.poolRevision) cannot "
                        + "be read: \(error)"
                )
            }
            vars = InventoryRendering.hostVars(name, in: inventory)
        }
        return InventoryRendering.output(.object(vars))
    }

    /// Claims with `claim`, and with `--wait` keeps asking (same claim key) while the cursor is
    /// paused or no batch is free, until the wait is over.
    func claimWaiting<Answer>(_ claim: () throws(ScriptError) -> Answer) throws(ScriptError) -> Answer {
        let started = clock.now()
        while true {
            do {
                return try claim()
            } catch {
                guard error.isWorthWaiting, settings.waitSeconds > 0 else { throw error }
                let waited = clock.now() - started
                let remaining = settings.waitSeconds - waited
                guard remaining > 0 else {
                    var final = error
                    final.message += " (waited \(BatchSourceClient.seconds(waited)), the --wait limit)"
                    throw final
                }
                // The service's Retry-After when it gives one, else every 5 s; never past the limit.
                let pause = min(remaining, min(60, max(1, error.retryAfterSeconds ?? 5)))
                note("inventory-script: \(error.message) — asking again in \(BatchSourceClient.seconds(pause))")
                clock.sleep(pause)
            }
        }
    }
}
