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

    public init(paths: [String], explain: Bool = false, record: Bool = true) {
        self.paths = paths
        self.explain = explain
        self.record = record
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
        let policy = try context.policy()
        let key = try context.key()
        let session = record ? try context.ledger() : nil
        var configuration = ClassifyRun.Configuration(
            policy: policy, key: key, host: context.host, evaluationDay: context.day, explain: explain)
        configuration.limits = context.limits
        let run = ClassifyRun(
            configuration: configuration, ledger: session?.ledger, index: session?.index, logger: context.logger("privctl.classify"))
        var summary = try run.run(containers: containers, onMessage: onMessage, onUnreadable: onUnreadable, onProgress: onProgress)
        summary.notRead += problems.count
        return summary
    }
}
