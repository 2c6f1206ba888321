import ArgumentParser
import Foundation
import InventoryModel

/// Which attempt of a batch a completion or release speaks for: the service accepts it only
/// from the attempt that holds the batch now, or from an admin who says `--force`.
struct HolderOptions: ParsableArguments {
    @Option(
        name: .customLong("consumer"),
        help: ArgumentHelp(
            "The consumer that holds the batch, as `batch show` lists it (default: $BATCH_SOURCE_CONSUMER).",
            valueName: "name"))
    var consumerOption: String?
    @Option(
        name: .customLong("claim-key"),
        help: ArgumentHelp("The claim key the batch was claimed with.", valueName: "key"))
    var claimKey: String?
    @Flag(
        help: ArgumentHelp(
            "Act for the batch's holder, whoever it is: needs an admin token, and the service records it on the "
                + "attempt."))
    var force = false

    var consumer: String? {
        consumerOption ?? ProcessInfo.processInfo.environment["BATCH_SOURCE_CONSUMER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Refuses a request that names no attempt before it goes out.
    func check(_ claim: some AttemptClaim, doing action: String) throws {
        guard claim.consumer == nil && claim.claimKey == nil && !claim.force else { return }
        throw CLIError(
            "name the batch's holder to \(action) it: --consumer NAME and/or --claim-key KEY as `batch-source batch "
                + "show` lists them, or --force (an admin token) to \(action) it for its holder")
    }
}
