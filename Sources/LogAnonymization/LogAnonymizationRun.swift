import FileSystem
import Foundation
import PrivacyEvents

/// `privctl logs anonymize`: every path checked first, then each log anonymized
/// (``LogFileAnonymizer``) and, when anonymized in place, recorded as an erase event.
public struct LogAnonymizationRun: Sendable {
    /// What happened to one file.
    public enum Outcome: Sendable {
        /// Anonymized (or counted, or written elsewhere); in place with its event's id, or why
        /// the event could not be recorded.
        case done(LogAnonymizationReport, eventID: String?, recordFailure: String?)
        /// Left as it was.
        case failed(path: String, PrivctlError)
    }

    /// Counts over all files.
    public struct Summary: Sendable {
        public var anonymized = 0
        public var unchanged = 0
        public var failed = 0
        public var events = 0
    }

    public var paths: [String]
    public var destination: LogFileAnonymizer.Destination
    public var options: AnonymizationOptions

    public init(paths: [String], destination: LogFileAnonymizer.Destination, options: AnonymizationOptions) {
        self.paths = paths
        self.destination = destination
        self.options = options
    }

    /// Whether anonymized logs are recorded (only in place: otherwise the original still holds
    /// the data).
    public var records: Bool { destination == .inPlace }

    /// Checks that every path is a regular file, before anything changes.
    public func check() throws(PrivctlError) {
        for path in paths { _ = try LogFileAnonymizer.locate(path) }
    }

    /// Anonymizes each file in turn, recording to `ledger` (when given and ``records``).
    /// `progress` gets a file and the bytes of it read so far; `each` every file's outcome.
    public func run(
        ledger: (any Ledger)?, host: String, progress: @escaping (String, Int) -> Void = { _, _ in }, each: (Outcome) -> Void
    ) -> Summary {
        var summary = Summary()
        for path in paths {
            let report: LogAnonymizationReport
            do {
                report = try LogFileAnonymizer.anonymize(path: path, to: destination, options: options) { progress(path, $0) }
            } catch {
                summary.failed += 1
                each(.failed(path: path, error))
                continue
            }
            var eventID: String?
            var recordFailure: String?
            if let ledger, records, report.written {
                let event = LogEvents.anonymized(report, options: options, host: host)
                do {
                    try ledger.append([event])
                    eventID = event.id.rawValue
                    summary.events += 1
                } catch {
                    recordFailure = "\(path): anonymized, but the erase event could not be recorded: \(error)"
                    summary.failed += 1
                }
            }
            if report.changedLines > 0 { summary.anonymized += 1 } else { summary.unchanged += 1 }
            each(.done(report, eventID: eventID, recordFailure: recordFailure))
        }
        return summary
    }
}

extension LogAnonymizationRun {
    /// What was done with one file, as `--json` names it.
    public enum Action: String, Sendable {
        case written
        case unchanged
        case wouldAnonymize = "would-anonymize"
        case anonymized
    }

    /// What was done with the file of `report`.
    public func action(_ report: LogAnonymizationReport) -> Action {
        if report.output != nil { return .written }
        if report.changedLines == 0 { return .unchanged }
        return destination == .dryRun ? .wouldAnonymize : .anonymized
    }

    /// `logs anonymize --json`: one file, with its erase event's id when recorded.
    public func json(_ report: LogAnonymizationReport, eventID: String?) -> String {
        var line = JSONLine()
        line.add("path", report.path)
        line.add("action", action(report).rawValue)
        line.add("output", report.output)
        line.add("compression", report.compression.rawValue)
        line.add("lines", report.lines)
        line.add("changedLines", report.changedLines)
        line.add("addresses", report.addresses)
        line.add("logins", report.logins)
        line.add("ips", report.ips)
        line.add("unparsedLines", report.unparsedLines)
        line.raw("firstUnparsedLine", report.firstUnparsedLine.map(String.init) ?? "null")
        line.add("eventId", eventID)
        return line.string
    }
}
