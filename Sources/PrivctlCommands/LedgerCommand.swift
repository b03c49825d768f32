import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl ledger`: read and check the record.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Show and verify the append-only ledger of privacy events.",
        discussion: """
            The ledger records every collect, transfer, retain, erase and block event. Each \
            event stores the hash of the one before it (one chain per host), so `privctl ledger \
            verify` proves that nothing was removed, reordered or changed. People appear only \
            as keyed pseudonyms; `ledger show --subject ADDRESS` hashes the address with the \
            local key to find them.
            """,
        subcommands: [LedgerShowCommand.self, LedgerVerifyCommand.self, LedgerMigrateCommand.self]
    )
}

/// `privctl ledger show`.
struct LedgerShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List ledger events, oldest first.",
        discussion: """
            Examples:
              privctl ledger show --kind erase --since 2026-01-01
              privctl ledger show --subject alice@example.org --json
            """
    )

    @Option(name: .customLong("kind"), help: ArgumentHelp("Only events of this kind (collect, transfer, retain, erase, block, start); repeatable.", valueName: "kind"))
    var kinds: [EventKind] = []

    @Option(help: ArgumentHelp("Only events about this person, given as a plain address (hashed on the fly).", valueName: "address"))
    var subject: String?

    @Option(name: .customLong("message-id"), help: ArgumentHelp("Only events about the message with this Message-ID (hashed on the fly).", valueName: "id"))
    var messageID: String?

    @Option(help: ArgumentHelp("Only events of this data category.", valueName: "category"))
    var category: String?

    @Option(name: .customLong("event-host"), help: ArgumentHelp("Only events recorded by this host.", valueName: "name"))
    var eventHost: String?

    @Option(help: .day("Only events on or after this day (UTC)."))
    var since: CalendarDay?

    @Option(help: .day("Only events before this day (UTC)."))
    var until: CalendarDay?

    @Option(help: ArgumentHelp("At most this many events.", valueName: "n"))
    var limit: Int?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let filter = EventFilter(
            kinds: kinds.isEmpty ? nil : Set(kinds), category: category, host: eventHost, since: since?.startDate,
            until: until?.startDate, limit: limit)
        let out = TextOutput.standardOutput
        let count = try LedgerListing(filter: filter, subject: subject, messageID: messageID).forEachEvent(
            context: try global.context()
        ) { out.line(global.json ? $0.json() : $0.text()) }
        out.flush()
        if !global.json && count == 0 { TextOutput.standardError.line("no events match") }
        TextOutput.standardError.flush()
    }
}

/// `privctl ledger verify`.
struct LedgerVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-compute every hash chain and report any event removed, reordered or changed.",
        discussion: """
            Exit status 0 when the ledger is intact, 2 when it is not (each problem on one line), \
            1 when it cannot be read. The printed chain heads can be kept elsewhere (a ticket, \
            a signed mail) to prove later that history up to here was not rewritten.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try global.context()
        let ledger = try context.ledger(recordingKey: false).ledger
        let result: LedgerVerification
        do {
            result = try ledger.verify()
        } catch {
            throw CommandFailure("cannot verify the ledger \(context.environment.ledger): \(error)")
        }
        let out = TextOutput.standardOutput
        if global.json {
            out.line(result.json())
        } else {
            out.write(result.text())
        }
        out.flush()
        if !result.isIntact { throw ExitCode(.ledgerNotIntact) }
    }
}
