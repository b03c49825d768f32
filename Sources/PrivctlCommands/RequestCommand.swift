import ArgumentParser
import Foundation
import MailStores
import PrivacyEvents
import PrivctlKit

/// `privctl request`: erasure requests for a whole fleet.
struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Record fleet-wide erasure requests and see which host has carried them out.",
        discussion: """
            With a shared ledger (PostgreSQL, see the README's fleet section) one request reaches \
            every host: each host runs privctl apply (by hand or from cron) on its own mail and \
            backups; mail never travels. The request names the person only by pseudonym, so the \
            hosts need the same pseudonym key (privctl key export/import).

              privctl request erase --subject alice@example.org --received 2026-11-20
              privctl request list            exit status 5 when a request is overdue
            """,
        subcommands: [RequestEraseCommand.self, RequestListCommand.self]
    )
}

/// `privctl request erase`.
struct RequestEraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase", abstract: "Record an erasure request (GDPR Art. 17) for every host; prints its id.")

    @Option(name: .customLong("subject"), help: ArgumentHelp("The person's address; repeatable.", valueName: "address"))
    var addresses: [String] = []

    @Option(help: ArgumentHelp("The day the request arrived, when earlier than today (the deadline is one month later).", valueName: "YYYY-MM-DD"))
    var received: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if addresses.isEmpty { throw ValidationError("name the person with --subject ADDRESS") }
        for address in addresses where !address.contains("@") { throw ValidationError("\"\(address)\" is not an e-mail address") }
        if let received, CalendarDay(iso: received) == nil { throw ValidationError("--received must be a day as YYYY-MM-DD") }
    }

    func run() throws {
        let key = try global.loadKey()
        let opened = try global.openLedger(key: key)
        let ledger = opened.ledger
        defer { opened.finish(logger: global.makeLogger("privctl.ledger")) }
        let day = received.flatMap(CalendarDay.init(iso:)) ?? CalendarDay(Date())
        let event = ErasureRequests.requestEvent(
            subjects: addresses.map { key.pseudonym(for: $0) }, received: day, host: global.environment.host)
        do {
            try ledger.append([event])
        } catch {
            throw CommandFailure("\(error)")
        }
        print(event.id.rawValue)
    }
}

/// `privctl request list`.
struct RequestListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show each erasure request and, per host, whether it is done, blocked in part, failed or outstanding.",
        discussion: "Exit status 5 when a request is overdue (its deadline passed while a host has not carried it out); for monitoring.")

    @Flag(help: "One JSON object per request.")
    var json = false

    @Option(help: ArgumentHelp("Judge 'overdue' as of this day.", valueName: "YYYY-MM-DD"))
    var at: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let key = try global.loadKey()
        let ledger = try global.openLedger(key: key, recordingKey: false).ledger
        let today = at.flatMap(CalendarDay.init(iso:)) ?? CalendarDay(Date())
        let requests: [ErasureRequest]
        let results: [String: [String: RequestResult]]
        let hosts: [String]
        do {
            requests = try ErasureRequests.all(in: ledger)
            results = try ErasureRequests.results(in: ledger)
            // The hosts that hold data (an administrator's workstation that only records
            // requests owes nothing).
            let dataKinds: Set<EventKind> = [.collect, .transfer, .retain, .erase, .block]
            hosts = try ledger.hosts().filter { host in
                var holds = false
                try ledger.forEachEvent(matching: EventFilter(kinds: dataKinds, host: host, limit: 1)) { _ in holds = true }
                return holds
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        var overdue = 0
        let out = TextOutput.standardOutput
        for request in requests {
            // Hosts that hold data owe the request; a host that carried it out anyway is shown.
            let owing = Set(hosts).union(results[request.id]?.keys ?? [:].keys).sorted()
            let perHost = owing.map { ($0, results[request.id]?[$0] ?? .outstanding) }
            // Overdue: past the deadline with a host outstanding, or with no host having
            // carried it out at all.
            let late = request.deadline < today && (perHost.isEmpty || perHost.contains { $0.1 == .outstanding })
            if late { overdue += 1 }
            if json {
                var line = JSONLine()
                line.add("id", request.id)
                line.add("received", request.received.description)
                line.add("deadline", request.deadline.description)
                line.add("overdue", late)
                line.add("subjects", request.subjects.map(\.rawValue))
                var hostsJSON = JSONLine()
                for (host, result) in perHost { hostsJSON.add(host, result.description) }
                line.raw("hosts", hostsJSON.string)
                out.line(line.string)
            } else {
                out.line("\(request.id)  received \(request.received)  deadline \(request.deadline)\(late ? "  OVERDUE" : "")")
                for (host, result) in perHost { out.line("    \(pad(host, 24)) \(result)") }
                if perHost.isEmpty { out.line("    no host holds data or has carried it out yet") }
            }
        }
        if requests.isEmpty && !json { out.line("no erasure requests on record") }
        out.flush()
        if overdue > 0 { throw ExitCode(5) }
    }
}
