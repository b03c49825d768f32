import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl hold`: legal holds.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Place, list or release a legal hold that keeps data from erase and expire.",
        discussion: """
            While a claim is pending or a tax assessment is still open, data that might be \
            evidence must not be erased (GDPR Art. 17(3)(e)). A hold covers a person \
            (--subject, --name), single messages (--message-id, --sha256) or whole stores \
            (--store); erase and expire keep what it covers and name the hold in their receipt. \
            Holds are ledger events.

              privctl hold --subject alice@example.org --reason "Klage LG Köln 2 O 123/26"
              privctl hold --store /srv/mail/buchhaltung --until 2027-06-30 \\
                  --reason "Betriebsprüfung 2026"
              privctl hold --list
              privctl hold --release HOLD-ID

            With --json, each hold is one object with the keys id, reason, until, subjects \
            (pseudonyms), messageIds, sha256 and stores.

            Write reasons without personal data: the ledger keeps them; one with an @ is refused.
            """
    )

    @OptionGroup var subject: SubjectOptions

    @Option(name: .customLong("store"), help: ArgumentHelp("Hold a whole store (and everything below it); repeatable.", valueName: "path"))
    var stores: [String] = []

    @Option(help: ArgumentHelp("Why: a case number or an assessment (required to place a hold).", valueName: "text"))
    var reason: String?

    @Option(help: .day("The last day the hold is in force (default: until released)."))
    var until: CalendarDay?

    @Option(help: ArgumentHelp("Release the hold with this id.", valueName: "id"))
    var release: String?

    @Flag(help: "List the holds in force.")
    var list = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if list || release != nil { return }
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("give a --reason for the hold")
        }
        if subject.isEmpty && stores.isEmpty {
            throw ValidationError("name what to hold: --subject, --name, --message-id, --sha256 or --store")
        }
    }

    func run() throws {
        let context = try global.context()
        defer { context.finish() }
        let out = TextOutput.standardOutput
        defer { out.flush() }
        if list {
            let holds = try LegalHold.list(context: context)
            if holds.isEmpty && !global.json { summarize("no legal hold in force") }
            for hold in holds { out.line(global.json ? hold.json() : hold.text()) }
        } else if let release {
            let event = try LegalHold.release(release, context: context)
            out.line(LegalHold.releaseText(release, event: event, json: global.json))
        } else {
            let selection = subject.isEmpty ? nil : try subject.selection()
            let hold = try LegalHold.place(selection, stores: stores, reason: reason ?? "", until: until, context: context)
            out.line(global.json ? hold.json() : "placed hold \(hold.id)")
        }
    }
}
