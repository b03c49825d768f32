import FileSystem
import Foundation
import PrivacyEvents

/// `privctl logs expire`: the rotated logs under some paths, and those past the log retention
/// removed (``LogExpiry``), each recorded as an erase event.
public struct LogExpiryRun: Sendable {
    /// What happened to one rotated log.
    public enum Outcome: Sendable {
        /// Within the retention.
        case kept(RotatedLog)
        /// Due, in a dry run.
        case wouldRemove(RotatedLog)
        /// Removed, with its event's id, or why the event could not be recorded.
        case removed(RotatedLog, eventID: String?, recordFailure: String?)
        /// Due, but could not be removed.
        case failed(RotatedLog, PrivctlError)
    }

    /// Counts over all logs.
    public struct Summary: Sendable {
        public var removed = 0
        public var removedBytes = 0
        public var failed = 0
    }

    /// What the paths hold.
    public let scan: LogExpiryScan
    public let days: Int
    public let dryRun: Bool

    /// Scans `paths` for rotated logs; a path that is missing or not a log is an error.
    public init(paths: [String], days: Int, dryRun: Bool) throws(PrivctlError) {
        scan = try LogExpiry.scan(paths, days: days)
        self.days = days
        self.dryRun = dryRun
    }

    /// The rotated logs past the retention.
    public var due: [RotatedLog] { scan.rotated.filter(\.due) }

    /// Whether the run records anything (a ledger need not be opened otherwise).
    public var records: Bool { !dryRun && !due.isEmpty }

    /// Removes what is due (unless a dry run), recording to `ledger`; `each` gets every rotated
    /// log's outcome, in order.
    public func run(ledger: (any Ledger)?, host: String, each: (Outcome) -> Void) -> Summary {
        var summary = Summary()
        for log in scan.rotated {
            guard log.due else {
                each(.kept(log))
                continue
            }
            if dryRun {
                summary.removed += 1
                summary.removedBytes += log.size
                each(.wouldRemove(log))
                continue
            }
            do {
                try LogExpiry.remove(log)
            } catch {
                summary.failed += 1
                each(.failed(log, error))
                continue
            }
            summary.removed += 1
            summary.removedBytes += log.size
            let event = LogEvents.expired(log, days: days, host: host)
            var eventID: String?
            var recordFailure: String?
            do {
                try ledger?.append([event])
                eventID = event.id.rawValue
            } catch {
                summary.failed += 1
                recordFailure = "\(log.path): removed, but the erase event could not be recorded: \(error)"
            }
            each(.removed(log, eventID: eventID, recordFailure: recordFailure))
        }
        return summary
    }
}

extension RotatedLog {
    /// `logs expire --json`: one rotated log, what was done with it (`kept`, `would-remove`,
    /// `removed`, `failed`) and why.
    public func json(action: String, reason: String, eventID: String?) -> String {
        var line = JSONLine()
        line.add("path", path)
        line.add("action", action)
        line.add("reason", reason)
        line.add("size", size)
        line.add("lastModified", EventChain.timestamp(modified))
        line.add("dataUntil", EventChain.timestamp(dataUntil))
        line.add("agedBy", agedByName ? "name" : "mtime")
        line.add("eventId", eventID)
        return line.string
    }
}
