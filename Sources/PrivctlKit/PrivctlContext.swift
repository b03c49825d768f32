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

    /// Whether this run may create the ledger and the pseudonym key when they are missing:
    /// `privctl init`, or a first interactive run with nothing configured
    /// (``isFirstInteractiveUse``). Every other run refuses a missing ledger or key, so that a
    /// typo or a missing configuration never starts an empty ledger.
    public var mayCreateState = false
    /// Whether a path that holds no mail store (for scrub: no archive) is accepted
    /// (`--allow-empty`). Otherwise it is an error, so that an unmounted backup disk or a
    /// mistyped folder is never a clean run of nothing.
    public var allowEmpty = false
    /// What this run created (the key, the ledger), for the command to say.
    public private(set) var created: [String] = []

    private var loadedPolicy: RetentionPolicy?
    private var loadedKey: PseudonymKey?
    private var session: LedgerSession?
    private var runLock: RunLock?

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

    /// Whether stdin is a terminal and neither the ledger nor the key was configured: someone
    /// trying privctl for the first time, whom `classify` may set up.
    public var isFirstInteractiveUse: Bool {
        isatty(0) == 1 && environment.ledgerOrigin == .defaultValue && environment.keyOrigin == .defaultValue
    }

    /// The pseudonym key; created only when ``mayCreateState``.
    /// - Throws: `PrivctlError` `.notFound` naming the path and where it came from.
    public func key() throws -> PseudonymKey {
        if let loadedKey { return loadedKey }
        let url = environment.keyURL
        let exists = FileManager.default.fileExists(atPath: url.path)
        if !exists && !mayCreateState {
            throw PrivctlError(
                .notFound, path: url.path,
                problem: "no pseudonym key (\(environment.keyOrigin.description)); `privctl init` sets up the key and the ledger, or name the right key with --key or $PRIVCTL_KEY")
        }
        let key = try PseudonymKey.loadOrCreate(at: url)
        if !exists { created.append("the pseudonym key \(url.path) (fingerprint \(key.fingerprint))") }
        loadedKey = key
        return key
    }

    /// The ledger, checked against the key. `recordingKey: false` (for commands that only read)
    /// records no key fingerprint in a new ledger.
    public func ledger(recordingKey: Bool = true) throws -> LedgerSession {
        if let session { return session }
        // A reading run on a host without a key checks nothing against it (`ledger verify`).
        let hasKey = loadedKey != nil || mayCreateState || FileManager.default.fileExists(atPath: environment.keyURL.path)
        let opened = try LedgerSession(
            environment: environment, key: recordingKey || hasKey ? try key() : nil, recordingKey: recordingKey,
            creating: mayCreateState,
            logger: logger("privctl.ledger"))
        if opened.wasCreated { created.append("the ledger \(opened.description)") }
        session = opened
        return opened
    }

    /// Takes this host's run lock (``RunLock``) for `command`, waiting up to `timeout` seconds,
    /// once per context: held until ``finish()``, so `expire` running `apply` first takes it once.
    public func lockRuns(for command: String, timeout: TimeInterval) throws {
        guard runLock == nil else { return }
        runLock = try RunLock.acquire(in: try ledger().stateDirectory, command: command, timeout: timeout)
    }

    /// The mail stores under `paths`; each place that could not be searched is warned about
    /// and returned, for the run to count or list.
    func scan(_ paths: [String]) throws -> (containers: [MailContainer], problems: [PrivctlError]) {
        let scan = try MailStoreFormats.scan(paths)
        for problem in scan.problems { warn(problem.description) }
        return (scan.containers, scan.problems)
    }

    /// Refuses, unless ``allowEmpty``, a path under which none of `containers` lies and nothing
    /// failed to be searched: it holds no `noun`.
    func requireStores(under paths: [String], in containers: [MailContainer], problems: [PrivctlError], noun: String) throws {
        guard !allowEmpty else { return }
        let named = paths.compactMap { try? FileSystem.resolveNamedPath($0) }
        for path in paths {
            guard let resolved = try? FileSystem.resolveNamedPath(path) else { continue }
            func under(_ other: String) -> Bool { other == resolved || FileSystem.isBelow(other, resolved) }
            // A path inside another named one was searched as part of it.
            if named.contains(where: { FileSystem.isBelow(resolved, $0) }) { continue }
            if containers.contains(where: { under($0.path) }) || problems.contains(where: { under($0.path) }) { continue }
            throw PrivctlError(.notMail, path: path, problem: "holds no \(noun); nothing done (--allow-empty accepts that)")
        }
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
        runLock?.release()
        runLock = nil
    }
}
