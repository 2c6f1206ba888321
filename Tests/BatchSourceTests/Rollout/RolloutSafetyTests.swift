import Foundation
import InventoryModel
import Testing

@testable import BatchSource

/// Bake times, tiers and maintenance windows as the claim rules judge them, on every store,
/// with the engine's clock set by the test.
@Suite("Rollout safety: bake, tiers, windows, on every store")
struct RolloutSafetyTests {
    /// Saturday 2026-12-05 20:00 UTC, 21:00 in Berlin.
    static let saturdayEvening = Date(timeIntervalSince1970: 1_796_500_800)

    static func settings(_ batchSize: String = "2", change: (inout CursorSettings) -> Void = { _ in }) throws
        -> CursorSettings
    {
        var s = CursorSettings(pool: "fleet", batchSize: try BatchSize(parsing: batchSize), maxInFlight: 3)
        change(&s)
        return s
    }

    func make(_ f: EngineFixture, _ settings: CursorSettings, name: String = "c") async throws -> CursorInfo {
        try await f.engine.cursors.create(CursorCreateRequest(name: name, settings: settings), actor: "admin")
    }

    @Test(
        "bake_seconds: no new batch until the bake after a completion passed, then the next",
        arguments: StoreKind.allCases)
    func bake(_ store: StoreKind) async throws {
        let clock = StoreClock.manual(at: Self.saturdayEvening)
        let f = try await EngineFixture(store, hosts: 6, clock: clock)
        defer { f.cleanup() }
        _ = try await make(
            f,
            try Self.settings {
                $0.bakeSeconds = 600; $0.maxInFlight = 1
            })
        let first = try #require(try await f.claim("a").batch)
        _ = try await f.complete(first.batchId)
        clock.advance(by: 100)
        let baking = await engineError { try await f.claim("a") }
        #expect(baking?.code == "no_batch_free")
        #expect(baking?.retryAfterSeconds == 500)
        #expect(baking?.details?["waiting_for"] == "bake")
        clock.advance(by: 499)
        #expect(await engineError { try await f.claim("b") }?.retryAfterSeconds == 1)
        clock.advance(by: 1)
        let second = try #require(try await f.claim("b").batch)
        #expect(second.batchId == 2)
        // A redelivery is no new batch: a lease that ran out during a bake goes out again.
        let events = try await f.engine.cursors.events("c", after: 0, limit: 100).items
        #expect(events.filter { $0.kind == .waiting }.count == 1, "the wait is written once, not per claim")
    }

    /// Tiers web[0:1] (2 hosts) and web05:web06:web07 (3), the rest (5) last; a ramp of 1, then 50% of the tier.
    static func tiered(_ s: inout CursorSettings) {
        s.tiers = ["web[0:1]", "web05:web06:web07"]
    }

    @Test(
        "tiers: a ramp per tier, no batch across tiers, and a tier waits for the one before",
        arguments: StoreKind.allCases)
    func tiers(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 10)
        defer { f.cleanup() }
        let info = try await make(f, try Self.settings("1,50%", change: Self.tiered))
        #expect(info.progress.batchesTotal == 8)
        let a = try #require(try await f.claim("a").batch)
        let b = try #require(try await f.claim("b").batch)
        #expect([a.hosts, b.hosts] == [["web01"], ["web02"]])
        let waiting = await engineError { try await f.claim("c") }
        #expect(waiting?.code == "no_batch_free")
        #expect(waiting?.details?["waiting_for"] == "tier")
        _ = try await f.complete(a.batchId)
        #expect(await engineError { try await f.claim("c") }?.code == "no_batch_free")
        _ = try await f.complete(b.batchId)
        var hosts: [[String]] = [a.hosts, b.hosts]
        while let batch = try await f.claim("c").batch {
            hosts.append(batch.hosts)
            _ = try await f.complete(batch.batchId)
        }
        #expect(
            hosts == [
                ["web01"], ["web02"], ["web05"], ["web06"], ["web07"], ["web03"], ["web04", "web08"],
                ["web09", "web10"],
            ])
    }

    @Test(
        "a plan preview and a dry run show the tiers' batches the claims then hand out", arguments: StoreKind.allCases)
    func planPreview(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 10)
        defer { f.cleanup() }
        let settings = try Self.settings("1,50%", change: Self.tiered)
        let dry = try await f.engine.cursors.dryRun(
            CursorCreateRequest(name: "c", settings: settings), limit: 100, offset: 0)
        #expect(try await f.engine.cursors.cursors(state: nil, pool: nil, limit: 10, offset: 0).total == 0)
        #expect(dry.total == 8)
        #expect(dry.items.map(\.hostCount) == [1, 1, 1, 1, 1, 1, 2, 2])
        #expect(dry.items.map(\.tier) == [1, 1, 2, 2, 2, 3, 3, 3])
        #expect(dry.items[2].tierPattern == "web05:web06:web07")
        #expect(dry.items[6].firstHosts == ["web04", "web08"])
        #expect(dry.tiers.map(\.hosts) == [2, 3, 5])
        _ = try await make(f, settings)
        let batch = try #require(try await f.claim("a").batch)
        _ = try await f.complete(batch.batchId)
        _ = try await f.claim("a")
        let plan = try await f.engine.cursors.planPreview("c", limit: 100, offset: 0)
        #expect(plan.items.map(\.state) == ["completed", "leased"] + Array(repeating: "planned", count: 6))
        #expect(plan.items.map(\.firstHosts) == dry.items.map(\.firstHosts))
        let page = try await f.engine.cursors.planPreview("c", limit: 3, offset: 1)
        #expect(page.items.map(\.batch) == [2, 3, 4])
    }

    @Test("pause_between_tiers: the last batch of a tier pauses the cursor", arguments: StoreKind.allCases)
    func pauseBetweenTiers(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 10)
        defer { f.cleanup() }
        _ = try await make(
            f,
            try Self.settings("2") {
                Self.tiered(&$0); $0.pauseBetweenTiers = true
            })
        let first = try #require(try await f.claim("a").batch)
        #expect(first.hosts == ["web01", "web02"])
        _ = try await f.complete(first.batchId)
        let paused = try await f.engine.cursors.cursor("c")
        #expect(paused.state == .paused)
        #expect(paused.stateReason == "paused after tier 1 (pause_between_tiers)")
        _ = try await f.engine.cursors.patch("c", ["state": "active"], actor: "ops")
        #expect(try await f.claim("a").batch?.hosts == ["web05", "web06"])
    }

    @Test(
        "windows: outside them no batch starts (409 with the next opening); a closing window stops new batches only",
        arguments: StoreKind.allCases)
    func windows(_ store: StoreKind) async throws {
        let clock = StoreClock.manual(at: Self.saturdayEvening)
        let f = try await EngineFixture(store, hosts: 6, clock: clock)
        defer { f.cleanup() }
        _ = try await make(
            f,
            try Self.settings {
                $0.windows = [WeeklyWindow(days: "sat-sun", start: "22:00", end: "04:00", timeZone: "Europe/Berlin")]
            })
        let closed = await engineError { try await f.claim("a") }
        #expect(closed?.code == "outside_window")
        #expect(closed?.status == 409)
        #expect(closed?.retryAfterSeconds == 3600)
        #expect(closed?.details?["next_opening"] == "2026-12-05T21:00:00.000Z")
        clock.advance(by: 3600)
        let batch = try #require(try await f.claim("a").batch)
        // Sunday 04:00 Berlin ends the night's window: the batch out carries on, no new one starts.
        clock.set(to: Date(timeIntervalSince1970: Self.saturdayEvening.timeIntervalSince1970 + 8 * 3600))
        #expect(await engineError { try await f.claim("b") }?.code == "outside_window")
        _ = try await f.complete(batch.batchId)
        #expect(try await f.engine.cursors.cursor("c").progress.batchesCompleted == 1)
    }

    @Test("a freeze beats a window, and patching one in stops new batches at once", arguments: StoreKind.allCases)
    func freezeBeatsWindow(_ store: StoreKind) async throws {
        let clock = StoreClock.manual(at: Self.saturdayEvening)
        let f = try await EngineFixture(store, hosts: 6, clock: clock)
        defer { f.cleanup() }
        _ = try await make(
            f, try Self.settings { $0.windows = [WeeklyWindow(days: "daily", start: "00:00", end: "00:00")] })
        _ = try #require(try await f.claim("a").batch)
        _ = try await f.engine.cursors.patch(
            "c", ["freezes": [["from": "2026-12-05T19:00:00Z", "until": "2026-12-06T08:00:00Z"]]], actor: "ops")
        let frozen = await engineError { try await f.claim("b") }
        #expect(frozen?.code == "outside_window")
        #expect(frozen?.details?["next_opening"] == "2026-12-06T08:00:00.000Z")
    }

    @Test("an unknown time zone is refused when the cursor is made", arguments: [StoreKind.sqlite])
    func unknownZone(_ store: StoreKind) async throws {
        let f = try await EngineFixture(store, hosts: 2)
        defer { f.cleanup() }
        let refused = await engineError {
            try await make(
                f,
                try Self.settings {
                    $0.windows = [WeeklyWindow(days: "daily", start: "01:00", end: "02:00", timeZone: "Europe/Berln")]
                })
        }
        #expect(refused?.status == 422)
        #expect(refused?.message.contains("Europe/Berln") == true)
    }

    @Test(
        "a night window across both daylight-saving changes in Berlin, with the engine's clock: 7 h in October, 5 h in March",
        arguments: StoreKind.allCases)
    func windowAcrossDaylightSaving(_ store: StoreKind) async throws {
        // Saturday 2026-10-24 20:00 UTC is 22:00 CEST; Sunday 04:00 CET is 03:00 UTC.
        let october = try #require(RFC3339.date(from: "2026-10-24T20:00:00Z"))
        let clock = StoreClock.manual(at: october.addingTimeInterval(-60))
        let f = try await EngineFixture(store, hosts: 10, clock: clock)
        defer { f.cleanup() }
        let night = WeeklyWindow(days: "sat", start: "22:00", end: "04:00", timeZone: "Europe/Berlin")
        _ = try await make(f, try Self.settings("1") { $0.windows = [night] })
        #expect(await engineError { try await f.claim("a") }?.retryAfterSeconds == 60)
        clock.set(to: october)
        _ = try #require(try await f.claim("a").batch)
        clock.set(to: october.addingTimeInterval(7 * 3600 - 1))
        _ = try #require(try await f.claim("b").batch, "04:00 CET is 7 h after 22:00 CEST")
        clock.set(to: october.addingTimeInterval(7 * 3600))
        let closed = await engineError { try await f.claim("c") }
        #expect(closed?.code == "outside_window")
        // The next Saturday night, in winter time: 2026-10-31 21:00 UTC.
        #expect(closed?.details?["next_opening"] == "2026-10-31T21:00:00.000Z")

        // Saturday 2026-03-28 22:00 CET is 21:00 UTC; Sunday 04:00 CEST is 02:00 UTC.
        let march = try #require(RFC3339.date(from: "2026-03-28T21:00:00Z"))
        clock.set(to: march.addingTimeInterval(5 * 3600 - 1))
        _ = try #require(try await f.claim("c").batch, "04:00 CEST is 5 h after 22:00 CET")
        clock.set(to: march.addingTimeInterval(5 * 3600))
        #expect(await engineError { try await f.claim("d") }?.code == "outside_window")
    }
}
