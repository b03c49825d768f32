// ledger-stress: a test and measurement helper, one process of many.
//
//   ledger-stress append  --ledger LOCATION --host NAME --count N [--batch 256] [--spool FILE]
//                         [--start-at UNIX_SECONDS] [--pause-ms MS] [--item PREFIX]
//   ledger-stress verify  --ledger LOCATION
//   ledger-stress deliver --ledger LOCATION --spool FILE
//   ledger-stress migrate --from SQLITE_PATH --to POSTGRES_URL
//
// LOCATION is what `--ledger` takes: a SQLite path or a postgres:// URL. `append` writes retain
// events shaped like those of a classify run (ClassifyRun.retainEvent), item names
// PREFIX0, PREFIX1, … in order, and prints one line: `appended N events in S s (R events/s)`.

import Foundation
import PostgresLedger
import PrivacyEvents
import SQLiteLedger

struct Usage: Error, CustomStringConvertible {
    var description: String
}

func option(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func required(_ name: String, in arguments: [String]) throws -> String {
    guard let value = option(name, in: arguments) else { throw Usage(description: "missing \(name)") }
    return value
}

func open(_ value: String) throws -> any Ledger {
    try LedgerBackends([SQLiteLedgerBackend(), PostgresLedgerBackend()]).open(LedgerLocation(parsing: value)).ledger
}

/// Retain events as a classify of a Maildir writes them: one to three subjects, a category with
/// its purpose and legal basis, the message file, its Message-ID, the rule and the policy.
func retainEvents(host: String, prefix: String, range: Range<Int>) -> [PrivacyEvent] {
    let key = PseudonymKey(bytes: Array(repeating: 7, count: 32))
    let categories: [(id: String, purpose: String, basis: LegalBasis, duty: Bool, years: Int)] = [
        ("accounting-document", "bookkeeping", LegalBasis(.legalObligation, retentionLaw: "AO §147(1) Nr. 4, HGB §257(1) Nr. 4"), true, 8),
        ("business-letter", "correspondence", LegalBasis(.legalObligation, retentionLaw: "AO §147(1) Nr. 2-3, HGB §257(1) Nr. 2-3"), true, 6),
        ("newsletter", "information", LegalBasis(.legitimateInterests), false, 1),
        ("private", "communication", LegalBasis(.contract), false, 3),
    ]
    let base = Date(timeIntervalSince1970: 1_780_000_000)
    return range.map { i in
        let category = categories[i % categories.count]
        let day = CalendarDay(year: 2019 + i % 7, month: 1 + i % 12, day: 1 + i % 28)
        let until = CalendarDay(year: day.year + category.years, month: 12, day: 31)
        var subjects = [key.pseudonym(for: "person\(i % 5000)@example.org")]
        if i % 3 == 0 { subjects.append(key.pseudonym(for: "team\(i % 40)@example.com")) }
        if i % 7 == 0 { subjects.append(key.pseudonym(for: "customer\(i % 900)@example.net")) }
        var details = ["rule": "\(category.id): from-domain-or-subject", "policy": String(repeating: "9f", count: 32)]
        if !category.duty { details["expiresOn"] = until.description }
        return PrivacyEvent(
            time: base.addingTimeInterval(Double(i) / 1000), host: host, kind: .retain, subjects: subjects,
            dataCategory: category.id, purpose: category.purpose, legalBasis: category.basis,
            location: DataLocation(
                store: "/srv/mail/example.org/user\(i % 200)/Maildir/.Archive.\(day.year)",
                item: "\(prefix)\(i)", messageID: "<\(i).\(host)@mail.example.org>"),
            keepUntil: until, legalDuty: category.duty, details: details)
    }
}

func run() throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let command = arguments.first else { throw Usage(description: "usage: ledger-stress append|verify|deliver|migrate …") }
    switch command {
    case "append":
        var ledger = try open(try required("--ledger", in: arguments))
        if let spool = option("--spool", in: arguments) {
            ledger = try SpoolingLedger(remote: ledger, spoolURL: URL(fileURLWithPath: spool), retryInterval: 3600)
        }
        let host = try required("--host", in: arguments)
        let count = Int(try required("--count", in: arguments)) ?? 0
        let batch = Int(option("--batch", in: arguments) ?? "256") ?? 256
        let pause = Double(option("--pause-ms", in: arguments) ?? "0") ?? 0
        let prefix = option("--item", in: arguments) ?? "cur/m"
        // Events are made before the clock starts: the measurement is the ledger's.
        let events = retainEvents(host: host, prefix: prefix, range: 0..<count)
        if let startAt = option("--start-at", in: arguments).flatMap(Double.init) {
            let wait = startAt - Date().timeIntervalSince1970
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
        let started = Date()
        var offset = 0
        while offset < events.count {
            let end = min(offset + batch, events.count)
            try ledger.append(Array(events[offset..<end]))
            offset = end
            if pause > 0 { Thread.sleep(forTimeInterval: pause / 1000) }
        }
        let seconds = Date().timeIntervalSince(started)
        var line = "appended \(count) events in \(String(format: "%.2f", seconds)) s (\(Int(Double(count) / max(seconds, 1e-9))) events/s)"
        if let spooling = ledger as? SpoolingLedger { line += ", spooled \(try spooling.spooledCount())" }
        print(line)
    case "verify":
        let ledger = try open(try required("--ledger", in: arguments))
        let started = Date()
        let result = try ledger.verify()
        let seconds = Date().timeIntervalSince(started)
        print("verified \(result.eventCount) events in \(String(format: "%.2f", seconds)) s (\(Int(Double(result.eventCount) / max(seconds, 1e-9))) events/s): \(result.isIntact ? "intact" : "BROKEN")")
        for problem in result.problems.prefix(20) { print("  " + problem) }
        if !result.isIntact { exit(1) }
    case "deliver":
        let ledger = try SpoolingLedger(
            remote: try open(try required("--ledger", in: arguments)),
            spoolURL: URL(fileURLWithPath: try required("--spool", in: arguments)))
        print("delivered \(try ledger.deliverSpooled())")
    case "migrate":
        let source = try SQLiteLedger(url: URL(fileURLWithPath: try required("--from", in: arguments)))
        let target = try PostgresLedger(url: try PostgresURL(parsing: try required("--to", in: arguments)))
        let started = Date()
        let report = try LedgerMigration.copy(from: source, to: target)
        print("copied \(report.copied), already present \(report.alreadyPresent), hosts \(report.hosts.joined(separator: ",")) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    default:
        throw Usage(description: "unknown command \(command)")
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("ledger-stress: \(error)\n".utf8))
    exit(2)
}
