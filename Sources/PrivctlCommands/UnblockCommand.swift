import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl unblock`: lift a restriction.
struct UnblockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock",
        abstract: "Return a person's blocked messages to where they were, byte for byte.",
        discussion: """
            Name the live mailboxes (as for privctl block); privctl looks in the blocked store \
            beside each. Each message returned gets a retain event. Inform the person before \
            lifting a restriction (GDPR Art. 18(3)).
            """
    )

    @OptionGroup var subject: SubjectOptions

    @Argument(help: ArgumentHelp("The live Maildirs or mbox files whose blocked messages to return.", valueName: "path"))
    var paths: [String]

    @OptionGroup var dryRun: DryRunOption

    @OptionGroup var lock: LockTimeoutOption

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        _ = try subject.selection()
        if paths.isEmpty { throw ValidationError("name at least one path") }
    }

    func run() throws {
        let context = try global.context()
        defer { context.finish() }
        let receipt = try ErasureJob(paths: paths, dryRun: dryRun.enabled, lockTimeout: lock.lockTimeout).unblock(try subject.selection(), context: context)
        try receipt.print(json: global.json).exitUnlessSuccess()
    }
}
