import FileSystem
import Foundation
import Logging
import MailStores

/// What every job of one privctl run shares: where state lives and which host this is, the day
/// decisions are made for, the loggers, and (loaded on first use, once) the policy, the pseudonym
/// key and the ledger session.
///
/// Loading is lazy so that each job checks its own inputs (paths) first and opens only what it
/// needs: `inspect` without `--explain` never reads the policy, `policy show` never creates a key.
public final class PrivctlContext {
    public let environment: PrivctlEnvironment
    /// The day decisions are made for (`--at`, else today).
    public let day: CalendarDay
    /// How much is read into memory at once (`--max-message-size`).
    public let limits: ReadLimits
    /// Where warnings go: places a scan could not search, said before the run goes on.
    public let warn: (String) -> Void
    let logLevel: Logger.Level

    private var loadedPolicy: RetentionPolicy?
    private var loadedKey: PseudonymKey?
    private var session: LedgerSession?

    /// A context; `verbose` logs at debug level, else `PRIVCTL_LOG_LEVEL`, else warnings only.
    /// Messages larger than `maxMessageSize` bytes are reported, not read.
    public init(
        environment: PrivctlEnvironment, day: CalendarDay? = nil, verbose: Bool = false,
        maxMessageSize: Int = ReadLimits.standard.maxMessageSize, salvage: Bool = false, warn: @escaping (String) -> Void = { _ in },
        variables: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.environment = environment
        self.day = day ?? CalendarDay(Date())
        limits = ReadLimits(maxMessageSize: maxMessageSize, salvage: salvage)
        self.warn = warn
        if verbose {
            logLevel = .debug
        } else {
            logLevel = variables["PRIVCTL_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        }
    }

    /// This host's name in ledger events.
    public var host: String { environment.host }

    /// A logger on stderr at the context's level.
    public func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }

    /// The policy in effect: the configured file, else the built-in policy.
    public func policy() throws -> RetentionPolicy {
        if let loadedPolicy { return loadedPolicy }
        let policy = try environment.policyURL.map { try RetentionPolicy(contentsOf: $0) } ?? RetentionPolicy.builtIn
        loadedPolicy = policy
        return policy
    }

    /// The YAML source of the policy in effect (checked first), or of the built-in policy.
    public func policySource(builtIn: Bool = false) throws -> String {
        guard !builtIn, let url = environment.policyURL else { return RetentionPolicy.builtInYAML }
        _ = try policy()  // report mistakes first
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw PrivctlError(.unreadable, path: url.path, problem: "cannot read the policy file")
        }
        return text
    }

    /// The pseudonym key, created on first use.
    public func key() throws -> PseudonymKey {
        if let loadedKey { return loadedKey }
        let key = try PseudonymKey.loadOrCreate(at: environment.keyURL)
        loadedKey = key
        return key
    }

    /// The ledger, checked against the key. `recordingKey: false` (for commands that only read)
    /// records no key fingerprint in a new ledger.
    public func ledger(recordingKey: Bool = true) throws -> LedgerSession {
        if let session { return session }
        let opened = try LedgerSession(
            environment: environment, key: try key(), recordingKey: recordingKey, logger: logger("privctl.ledger"))
        session = opened
        return opened
    }

    /// The mail stores under `paths`; each place that could not be searched is warned about
    /// and returned, for the run to count or list.
    func scan(_ paths: [String]) throws -> (containers: [MailContainer], problems: [PrivctlError]) {
        let scan = try MailStoreFormats.scan(paths)
        for problem in scan.problems { warn(problem.description) }
        return (scan.containers, scan.problems)
    }

    /// Sets up the process as privctl runs: files it creates are its own unless it says
    /// otherwise (ledgers, spools, keys, blocked stores; rewritten mailboxes and archives get
    /// their original's mode), and as many descriptors as the system allows.
    public static func prepareProcess() {
        umask(0o077)
        FileSystem.raiseDescriptorLimit()
    }

    /// Ends the run: warns when events still wait in the spool.
    public func finish() {
        session?.finish()
    }
}
