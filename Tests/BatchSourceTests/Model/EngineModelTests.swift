import Foundation
import InventoryModel
import Testing

@testable import BatchSource

/// The model-based test: seeded random steps from several consumers, run against the engine on
/// a real store and against ``EngineModel``; every answer must agree with the model's, and
/// DESIGN.md's invariants must hold after every step (``EngineInvariants``).
///
/// `ENGINE_MODEL_SEED` replays a run (the seed is in the failure's message);
/// `ENGINE_MODEL_STEPS` sets its length.
@Suite("The engine against a reference model, on every store")
struct EngineModelTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let defaultSteps = 2000

    @Test(
        "seeded steps of claims, completions, heartbeats, releases, expiries, patches and retries agree with the model",
        arguments: StoreKind.allCases)
    func engineAgreesWithTheModel(_ store: StoreKind) async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["ENGINE_MODEL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        let steps = environment["ENGINE_MODEL_STEPS"].flatMap { Int($0) } ?? Self.defaultSteps
        let clock = StoreClock.manual(at: Self.start)
        let f = try await EngineFixture(store, hosts: 30, clock: clock)
        defer { f.cleanup() }
        var run = ModelRun(engine: f.engine, clock: clock, seed: seed, store: store)
        await run.run(steps: steps)
    }
}

/// One run: the generator, the model, the engine, and the last steps for the failure report.
struct ModelRun {
    let engine: BatchEngine
    let clock: StoreClock
    let seed: UInt64
    let store: StoreKind
    var model: EngineModel
    var generator: ModelStepGenerator
    var invariants = EngineInvariants()
    /// The last steps, numbered, for the failure's message.
    var trace: [String] = []

    init(engine: BatchEngine, clock: StoreClock, seed: UInt64, store: StoreKind) {
        self.engine = engine
        self.clock = clock
        self.seed = seed
        self.store = store
        model = EngineModel(now: clock.now().timeIntervalSince1970)
        generator = ModelStepGenerator(seed: seed, hosts: (1...30).map { String(format: "web%02d", $0) })
    }

    /// Runs `steps` steps, and stops at the first disagreement, which it records with the seed.
    mutating func run(steps: Int) async {
        for index in 1...steps {
            let step = generator.next(model)
            trace.append("\(index). \(step)")
            if trace.count > 30 { trace.removeFirst() }
            var problems: [String]
            do {
                let checked = cursorsToCheck(after: step)
                problems = try await execute(step)
                if problems.isEmpty {
                    for name in checked {
                        problems += try await invariants.check(name, engine: engine, model: model)
                    }
                }
            } catch {
                problems = ["the engine failed: \(error)"]
            }
            guard problems.isEmpty else {
                Issue.record(
                    Comment(
                        rawValue: """
                            The engine and the model disagree on \(store.rawValue), seed \(seed), step \(index) of \
                            \(steps):
                            \(problems.joined(separator: "\n"))
                            Replay: ENGINE_MODEL_SEED=\(seed) ENGINE_MODEL_STEPS=\(index) swift test --skip-build \
                            --filter EngineModel
                            The last steps:
                            \(trace.joined(separator: "\n"))
                            """))
                return
            }
        }
        // A shorter run may miss a rare path; the default one reaches each many times.
        let missed = ModelPath.allCases.filter { model.reached[$0] == nil }
        if steps >= EngineModelTests.defaultSteps && !missed.isEmpty {
            Issue.record(
                "seed \(seed) on \(store.rawValue) never reached: \(missed.map(\.rawValue).joined(separator: "; "))")
        }
    }

    /// The cursors a step may change: its own, or for a clock move those with a lease it ends.
    func cursorsToCheck(after step: ModelStep) -> [String] {
        if let name = step.cursor { return [name] }
        guard case .advance(let seconds) = step else { return [] }
        let (from, to) = (model.now, model.now + seconds)
        return generator.slots.filter { name in
            model.cursors[name]!.batches.contains { b in
                b.state == .leased && b.leaseEnd.map { $0 > from && $0 <= to } == true
            }
        }
    }

    /// Makes the step's call to the engine and to the model; what differs between their answers.
    mutating func execute(_ step: ModelStep) async throws -> [String] {
        let cursors = engine.cursors
        switch step {
        case .create(let name, let settings, let plan):
            let expected = model.create(name, settings: settings, plan: plan)
            return compare(
                expected,
                try await outcome {
                    CursorView(try await cursors.create(CursorCreateRequest(name: name, settings: settings)))
                })
        case .claim(let name, let who, let ack):
            let expected = model.claim(name, who, ackOverride: ack)
            let request = ClaimRequest(consumer: who.consumer, claimKey: who.claimKey)
            return compare(
                expected, try await outcome { ClaimView(try await cursors.claim(name, request, ackOverride: ack)) })
        case .peek(let name, let consumer, let key):
            let expected = model.currentBatch(name, consumer: consumer, claimKey: key)
            return compare(
                expected,
                try await outcome {
                    ClaimView(try await cursors.currentBatch(name, consumer: consumer, claimKey: key))
                })
        case .complete(let name, let batch, let results, let call):
            let expected = model.complete(name, batch: batch, results, call)
            let request = CompleteRequest(
                results: results, consumer: call.consumer, claimKey: call.claimKey, force: call.force)
            return compare(
                expected,
                try await outcome {
                    BatchView(try await cursors.complete(name, batch: batch, request, forcedBy: call.forcedBy))
                })
        case .heartbeat(let name, let batch, let call), .release(let name, let batch, let call):
            let release = if case .release = step { true } else { false }
            let expected = model.changeLease(name, batch: batch, release: release, call)
            let request = LeaseRequest(
                consumer: call.consumer, claimKey: call.claimKey, leaseSeconds: call.leaseSeconds,
                externalRef: call.externalRef, force: call.force)
            return compare(
                expected,
                try await outcome {
                    BatchView(
                        release
                            ? try await cursors.release(name, batch: batch, request, forcedBy: call.forcedBy)
                            : try await cursors.heartbeat(name, batch: batch, request, forcedBy: call.forcedBy))
                })
        case .patch(let name, let patch):
            let expected = model.patch(name, patch)
            return compare(expected, try await outcome { CursorView(try await cursors.patch(name, patch.body)) })
        case .retry(let name, let newName, let size):
            let batchSize = try size.map { try BatchSize(parsing: $0) }
            let expected = model.retry(name, as: newName, batchSize: batchSize)
            return compare(
                expected,
                try await outcome {
                    CursorView(try await cursors.retry(name, RetryRequest(name: newName, batchSize: batchSize)))
                })
        case .advance(let seconds):
            clock.advance(by: seconds)
            model.advance(by: seconds)
            return []
        }
    }

    /// The engine's answer, with its refusals by code (and Retry-After for `no_batch_free`).
    private func outcome<T>(_ body: () async throws -> T) async throws -> ModelOutcome<T> {
        do {
            return .ok(try await body())
        } catch let e as EngineError {
            return .refused(e.code, retryAfter: e.code == "no_batch_free" ? e.retryAfterSeconds : nil)
        }
    }

    private func compare<T>(_ expected: ModelOutcome<T>, _ actual: ModelOutcome<T>) -> [String] {
        return expected == actual ? [] : ["the model expected \(expected), the engine answered \(actual)"]
    }
}
