import ArgumentParser
import Foundation
import PrivacyEvents
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
              privctl hold --store /srv/mail/buchhaltung --reason "Betriebsprüfung 2026" --until 2027-06-30
              privctl hold --list
              privctl hold --release HOLD-ID

            Write reasons without personal data: they are stored as written.
            """
    )

    @OptionGroup var subject: SubjectOptions

    @Option(name: .customLong("store"), help: ArgumentHelp("Hold a whole store (and everything below it); repeatable.", valueName: "path"))
    var stores: [String] = []

    @Option(help: ArgumentHelp("Why: a case number or an assessment (required to place a hold).", valueName: "text"))
    var reason: String?

    @Option(help: ArgumentHelp("The last day the hold is in force (default: until released).", valueName: "YYYY-MM-DD"))
    var until: String?

    @Option(help: ArgumentHelp("Release the hold with this id.", valueName: "id"))
    var release: String?

    @Flag(help: "List the holds in force.")
    var list = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let until, CalendarDay(iso: until) == nil { throw ValidationError("--until must be a day as YYYY-MM-DD") }
        if list || release != nil { return }
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("give a --reason for the hold")
        }
        let hasTarget = !subject.addresses.isEmpty || !subject.names.isEmpty || !subject.messageIDs.isEmpty
            || !subject.hashes.isEmpty || !stores.isEmpty
        if !hasTarget { throw ValidationError("name what to hold: --subject, --name, --message-id, --sha256 or --store") }
    }

    func run() throws {
        let key = try global.loadKey()
        let opened = try global.openLedger(key: key)
        let ledger = opened.ledger
        defer { opened.finish(logger: global.makeLogger("privctl.ledger")) }
        let host = global.environment.host
        let today = CalendarDay(Date())
        do {
            if list {
                let holds = try LegalHold.active(in: ledger, on: today)
                if holds.isEmpty { print("no legal hold in force") }
                for hold in holds {
                    var scope: [String] = []
                    if !hold.subjects.isEmpty { scope.append("\(hold.subjects.count) subject(s)") }
                    if !hold.messageIDs.isEmpty || !hold.contentHashes.isEmpty {
                        scope.append("\(hold.messageIDs.count + hold.contentHashes.count) message(s)")
                    }
                    scope += hold.stores
                    print("\(hold.id)  until \(hold.until?.description ?? "released")  \(scope.joined(separator: ", "))  — \(hold.reason)")
                }
                return
            }
            if let release {
                guard try LegalHold.active(in: ledger, on: today).contains(where: { $0.id == release }) else {
                    throw CommandFailure("no legal hold \(release) is in force (see privctl hold --list)")
                }
                let event = LegalHold.releaseEvent(id: release, host: host)
                try ledger.append([event])
                print("released hold \(release) (event \(event.id))")
                return
            }
            let query = subject.addresses.isEmpty && subject.names.isEmpty && subject.messageIDs.isEmpty && subject.hashes.isEmpty
                ? nil : try subject.query()
            let hold = LegalHold(
                id: EventID().rawValue, subjects: Set(try query.map { _ in try subject.pseudonyms(key) } ?? []),
                messageIDs: query?.messageIDs ?? [], contentHashes: query?.contentHashes ?? [],
                stores: stores.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path },
                reason: reason ?? "", until: until.flatMap(CalendarDay.init(iso:)))
            try ledger.append([hold.event(host: host)])
            print("placed hold \(hold.id)")
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}
