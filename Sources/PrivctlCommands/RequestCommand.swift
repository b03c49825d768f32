import ArgumentParser
import Foundation
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

              privctl request erase --subject alice@example.org --reference T-4711
              privctl request list --subject alice@example.org
              privctl request list --overdue      exit status 5 when a request is overdue
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

    @Option(help: .day("The day the request arrived, when earlier than today (the deadline is one month later)."))
    var received: CalendarDay?

    @OptionGroup var reference: ReferenceOption

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if addresses.isEmpty { throw ValidationError("name the person with --subject ADDRESS") }
        for address in addresses where !address.contains("@") { throw ValidationError("\"\(address)\" is not an e-mail address") }
    }

    func run() throws {
        let context = try global.context()
        defer { context.finish() }
        let id = try ErasureRequests.record(
            addresses: addresses, received: received ?? context.day, reference: reference.reference, context: context
        ).rawValue
        var line = JSONLine()
        line.add("request", id)
        TextOutput.standardOutput.line(global.json ? line.string : id)
        TextOutput.standardOutput.flush()
    }
}

/// `privctl request list`.
struct RequestListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show each erasure request and, per host, whether it is done, blocked in part, failed or outstanding.",
        discussion: """
            A host's state moves forward when a later apply, expire or scrub gets further (failed \
            on a locked mailbox, then done). Exit status 5 when a request is overdue: its deadline \
            passed while a host has not answered it (outstanding or failed); for monitoring.
            """)

    @OptionGroup var day: DayOption

    @Option(name: .customLong("subject"), help: ArgumentHelp("Only requests naming this address; repeatable.", valueName: "address"))
    var addresses: [String] = []

    @Flag(help: "Only overdue requests.")
    var overdue = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let statuses = try ErasureRequests.status(context: global.context(day: day.at), subjects: addresses, overdueOnly: overdue)
        let out = TextOutput.standardOutput
        for status in statuses {
            if global.json {
                out.line(status.json())
            } else {
                out.write(status.text())
            }
        }
        if statuses.isEmpty && !global.json { summarize("no erasure requests on record" + (overdue || !addresses.isEmpty ? " that match" : "")) }
        out.flush()
        if statuses.contains(where: \.overdue) { throw ExitCode(.overdue) }
    }
}
