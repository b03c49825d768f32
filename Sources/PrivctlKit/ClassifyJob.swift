import Foundation
import MailStores
import PrivacyEvents

/// `privctl classify`: every path checked and the policy loaded before anything is opened, then
/// a ``ClassifyRun`` on the context's day, recording to the ledger unless `record` is false.
public struct ClassifyJob: Sendable {
    public var paths: [String]
    /// Keep each message's explanation (every message is then parsed).
    public var explain: Bool
    /// Record retain and erase events and the scan index.
    public var record: Bool
    /// Seconds to wait for another recording run on this ledger (``RunLock``).
    public var lockTimeout: TimeInterval
    /// Whether `onMessage` must see every message (the command prints each one: `--json`,
    /// `--due`, `--explain`); when false, a folder unchanged since the last run is counted from
    /// the scan index without a row per message (``ClassifyRun/Configuration/eachMessage``).
    public var eachMessage: Bool

    public init(
        paths: [String], explain: Bool = false, record: Bool = true, lockTimeout: TimeInterval = 30, eachMessage: Bool = true
    ) {
        self.paths = paths
        self.explain = explain
        self.record = record
        self.lockTimeout = lockTimeout
        self.eachMessage = eachMessage
    }

    /// Classifies; places the scan could not search are warned about (through the context) and
    /// counted in ``ClassifyRun/Summary/notRead``. The callbacks are those of ``ClassifyRun/run(containers:onMessage:onUnreadable:onProgress:)``.
    public func run(
        context: PrivctlContext,
        onMessage: (ClassifiedMessage) throws -> Void = { _ in },
        onUnreadable: (UnreadableMessage) -> Void = { _ in },
        onProgress: (ClassifyRun.Progress) -> Void = { _ in }
    ) throws -> ClassifyRun.Summary {
        let (containers, problems) = try context.scan(paths)
        try context.requireStores(under: paths, in: containers, problems: problems, noun: "mail (no Maildir, mbox, message file or archive)")
        let policy = try context.policy()
        let key = try context.key()
        let session = record ? try context.ledger() : nil
        // Two runs at once would both record the messages neither has seen yet.
        if record { try context.lockRuns(for: "classify", timeout: lockTimeout) }
        var configuration = ClassifyRun.Configuration(policy: policy, key: key, host: context.host, evaluationDay: context.day)
        configuration.explain = explain
        configuration.eachMessage = eachMessage || explain
        configuration.limits = context.limits
        // Decisions recorded with `privctl decide` start the periods that wait for them.
        if let session { configuration.startEvents = try StartEvents.load(from: session.ledger, tolerateUnavailable: true) }
        let run = ClassifyRun(
            configuration: configuration, ledger: session?.ledger, index: session?.index, logger: context.logger("privctl.classify"))
        var summary = try run.run(containers: containers, onMessage: onMessage, onUnreadable: onUnreadable, onProgress: onProgress)
        summary.notRead += problems.count
        return summary
    }
}

extension ClassifyRun.Summary {
    /// The table `classify` prints: per category the messages, their size, the oldest message
    /// day and how many are due on `day`, then the totals.
    public func table(day: CalendarDay) -> String {
        func row(_ name: String, _ count: Int, _ bytes: Int, _ oldest: String, _ due: Int) -> String {
            [pad(name, 22), pad(formatCount(count), 10, right: true), pad(formatBytes(bytes), 11, right: true),
             pad(oldest, 12, right: true), pad(formatCount(due), 16, right: true)].joined() + "\n"
        }
        var text = [pad("category", 22), pad("messages", 10, right: true), pad("size", 11, right: true),
                    pad("oldest", 12, right: true), pad("due \(day)", 16, right: true)].joined() + "\n"
        for c in categories { text += row(c.category, c.messages, c.bytes, c.oldest?.description ?? "-", c.due) }
        return text + row("total", messages, bytes, "", due)
    }

    /// What the run did: how many folders and messages it read, how fast, what it could not
    /// read, and what it recorded.
    public func text(recorded: Bool) -> String {
        let rate = seconds > 0 ? Int(Double(messages) / seconds) : messages
        var text = "\(formatCount(containers)) folders or files; \(formatCount(parsed)) messages parsed, "
            + "\(formatCount(unchanged)) unchanged since the last run; "
            + String(format: "%.2f", seconds) + " s, \(formatCount(rate)) messages/s\n"
        if unreadable > notRead {
            text += "\(formatCount(unreadable - notRead)) messages could not be parsed (listed above, classified for review)\n"
        }
        if notRead > 0 { text += "\(formatCount(notRead)) messages or places could not be read (listed above; the run exits 1)\n" }
        if recorded {
            text += "ledger: " + ([counted(retainEvents, "retain event")]
                + recordedEvents.filter { $0.key != .retain && $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { counted($0.value, "\($0.key.rawValue) event") }).joined(separator: ", ")
            if vanished > 0 { text += ", \(counted(vanished, "erase event")) for messages gone since the last run" }
            text += "\n"
        } else {
            text += "ledger: nothing recorded (--no-record)\n"
        }
        return text
    }
}
