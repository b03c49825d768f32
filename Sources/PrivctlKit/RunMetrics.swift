import FileSystem
import Foundation

/// What a nightly run reports to monitoring: node_exporter's textfile format, one gauge per
/// value, named `privctl_COMMAND_NAME`, plus when the run ended and when a run last succeeded.
///
/// Written to a temporary file in the same directory and renamed over the old one, so the
/// collector never reads half a file; through the file-system layer, because the textfile
/// directory is often writable by the exporter's user, who must not be able to aim root's write
/// elsewhere with a link. A failed run keeps the previous run's `last_success_timestamp_seconds`,
/// so an alert on its age fires when runs keep failing.
public struct RunMetrics: Sendable {
    /// The command, the middle of each name: `scrub`, `expire`, `apply`.
    public var command: String
    /// Name (without the prefix), help text, value.
    public var values: [(name: String, help: String, value: Double)]
    /// Whether the run did everything it set out to do.
    public var succeeded: Bool

    public init(command: String, values: [(name: String, help: String, value: Double)], succeeded: Bool) {
        self.command = command
        self.values = values
        self.succeeded = succeeded
    }

    /// The metrics an erase, block, expire or apply run reports.
    public init(command: String, receipt: ErasureReceipt, seconds: Double) {
        let counts = receipt.counts
        self.init(
            command: command,
            values: [
                ("messages_erased", "Messages erased by the last \(command).", Double(counts["erased"] ?? 0)),
                ("messages_blocked", "Messages blocked by the last \(command).", Double((counts["blocked"] ?? 0) + (counts["held"] ?? 0))),
                ("errors", "Places the last \(command) could not search or change.", Double(receipt.failed.count)),
                ("mailboxes_skipped", "Mailboxes the last \(command) skipped as locked.", Double(receipt.skipped.count)),
                ("verification_failed", "1 when the last \(command)'s verification found a difference.",
                 receipt.verification.map { $0.passed ? 0 : 1 } ?? 0),
                ("duration_seconds", "How long the last \(command) took.", seconds),
            ],
            succeeded: receipt.exitStatus == .success)
    }

    /// The metrics of a run that stopped before it could do anything (another run held the
    /// lock, the ledger could not be opened): its run time, an error, and the last success kept.
    public static func stopped(command: String) -> RunMetrics {
        RunMetrics(command: command, values: [("errors", "Errors of the last \(command).", 1)], succeeded: false)
    }

    /// The file's text; `previousSuccess` is kept as the last success when this run failed.
    public func text(now: Date = Date(), previousSuccess: Double? = nil) -> String {
        var all = values
        all.append(("last_run_timestamp_seconds", "When the last \(command) ended.", now.timeIntervalSince1970))
        if let success = succeeded ? now.timeIntervalSince1970 : previousSuccess {
            all.append(("last_success_timestamp_seconds", "When a \(command) last did everything it set out to do.", success))
        }
        return all.map { name, help, value in
            let full = "privctl_\(command)_\(name)"
            return "# HELP \(full) \(help)\n# TYPE \(full) gauge\n\(full) \(value)\n"
        }.joined()
    }

    /// Writes the metrics to `path`, replacing the file there (a regular file, or nothing).
    public func write(to path: String) throws {
        let (directory, name) = try FileSystem.openNamedParent(path)
        let existing = try directory.info(name)
        if let existing, existing.kind != .regular {
            throw PrivctlError(.notRegularFile, path: path, problem: "is a \(existing.kind.rawValue); the metrics file was not written")
        }
        var previousSuccess: Double?
        if existing != nil, !succeeded {
            let old = String(decoding: try directory.openFile(name).readAll(limit: 1 << 20), as: UTF8.self)
            let prefix = "privctl_\(command)_last_success_timestamp_seconds "
            previousSuccess = old.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
        }
        let replacement = try ReplacementFile(for: name, in: directory, attributes: existing)
        if existing == nil { try replacement.file.setPermissions(0o644) }  // node_exporter reads it
        try replacement.file.write(Array(text(previousSuccess: previousSuccess).utf8))
        try replacement.commit()
    }
}
