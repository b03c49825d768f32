import ArgumentParser
import Foundation
import MailStores
import PrivacyEvents
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

    @Flag(help: "Show what would be returned; change nothing.")
    var dryRun = false

    @Flag(help: "Print the receipt as one JSON object.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        _ = try subject.query()
        if paths.isEmpty { throw ValidationError("name at least one path") }
    }

    func run() throws {
        let containers: [MailContainer]
        do {
            let scan = try MailStoreFormats.scan(paths)
            for problem in scan.problems { warn(problem.description) }
            containers = scan.containers
        } catch {
            throw CommandFailure(error.description)
        }
        let policy = try global.loadPolicy()
        let key = try global.loadKey()
        let opened = try global.openLedger(key: key)
        let ledger = opened.ledger
        defer { opened.finish(logger: global.makeLogger("privctl.ledger")) }
        let unblock = UnblockRun(
            policy: policy, key: key, host: global.environment.host, query: try subject.query(),
            subjects: try subject.pseudonyms(key), day: CalendarDay(Date()), dryRun: dryRun)
        let receipt: ErasureReceipt
        do {
            receipt = try unblock.run(containers: containers, paths: paths, ledger: dryRun ? nil : ledger)
        } catch {
            throw CommandFailure("\(error)")
        }
        TextOutput.standardOutput.write(json ? receipt.json() + "\n" : receipt.text())
        TextOutput.standardOutput.flush()
        if let verification = receipt.verification, !verification.passed { throw ExitCode(3) }
    }
}
