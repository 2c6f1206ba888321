import ArgumentParser

/// Load generators for `make bench` (scripts/bench-service.sh): not part of the product.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-source-bench",
        abstract: "Load generators and a bare Hummingbird route for the service benchmarks.",
        subcommands: [ClaimLoad.self, ClaimLatency.self, BareRoute.self]
    )
}
