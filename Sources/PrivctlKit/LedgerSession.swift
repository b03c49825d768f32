import FileSystem
import Foundation
import Logging
import PostgresLedger
import PrivacyEvents
import SQLiteLedger

/// The ledger a run records to, opened from `--ledger` / `PRIVCTL_LEDGER`, with this host's
/// local state beside it.
///
/// - A file on this host (SQLite): one file holds the events and the index of messages already
///   recorded; this host's locks go beside it.
/// - A ledger shared by a fleet on a server (`postgres://`): the events go to it through a local
///   spool (`spool.sqlite` in the state directory), so that a host keeps working while the server
///   is unreachable and the next run delivers what waited, in order, exactly once. The index of
///   messages already recorded is this host's own (`state.sqlite`): mail never leaves the host,
///   and neither does the list of its message files.
///
/// Either way the ledger must have been written with the same pseudonym key: the first writer
/// records the key's fingerprint, later writers with another key are refused
/// (`PrivctlError` with code `.keyMismatch`).
public final class LedgerSession: Sendable {
    /// Where events are appended and read.
    public let ledger: any Ledger
    /// What this host has already recorded, by message.
    public let index: MessageIndex
    /// The ledger as configured, for messages (passwords hidden).
    public let description: String
    /// Whether the ledger is a file on this host (else a fleet's shared ledger).
    public let isLocalFile: Bool
    /// The directory for this host's locks.
    public let stateDirectory: URL
    /// Whether this session set the ledger up (it was missing, or had never recorded a key).
    public let wasCreated: Bool
    /// The spooling wrapper, for a shared ledger.
    let spooling: SpoolingLedger?
    let logger: Logger

    /// The backends privctl knows: SQLite for paths and `sqlite://`, PostgreSQL for
    /// `postgres://` and `postgresql://`.
    public static let standardBackends: LedgerBackends = {
        // Two backends with distinct schemes: registering them cannot fail.
        try! LedgerBackends([SQLiteLedgerBackend(), PostgresLedgerBackend()])
    }()

    /// Opens the ledger of `environment`, checking the pseudonym key. A ledger is set up when it
    /// records the key's fingerprint; only with `creating` is a missing ledger created (or one
    /// that never recorded a key set up), else it is refused. `recordingKey: false` (for
    /// commands that only read) checks the key when there is one and records nothing; they may
    /// pass no key at all (`ledger verify` on a host without one).
    ///
    /// - Throws: `PrivctlError` `.notFound` for a missing ledger, `.keyMismatch` for a ledger
    ///   written with another key.
    public init(
        environment: PrivctlEnvironment, key: PseudonymKey?, recordingKey: Bool = true, creating: Bool = false,
        backends: LedgerBackends = LedgerSession.standardBackends, logger: Logger
    ) throws {
        self.logger = logger
        let location = try LedgerLocation(parsing: environment.ledger)
        let missing = PrivctlError(
            .notFound, path: environment.ledger,
            problem: "no ledger (\(environment.ledgerOrigin.description)); `privctl init` sets up the ledger and the key, or name the right ledger with --ledger or $PRIVCTL_LEDGER")
        let existed = try backends.backend(for: location).exists(location)
        if existed == false && !creating { throw missing }
        let opened = try backends.open(location)
        description = opened.description
        /// The recorded fingerprint, recorded first when this run may (a missing or new ledger
        /// only when `creating`).
        var created = false
        func recordedKey() throws -> String? {
            let recorded = try opened.metadata.metaValue("pseudonym_key")
            if recorded == nil && !creating {
                if existed == false { throw missing }
                throw PrivctlError(
                    .notFound, path: environment.ledger,
                    problem: "this ledger (\(environment.ledgerOrigin.description)) was never set up: it records no pseudonym key; `privctl init` sets it up")
            }
            if recorded == nil && recordingKey, let key {
                created = true
                return try opened.metadata.metaValue("pseudonym_key", recordingIfAbsent: key.fingerprint)
            }
            return recorded
        }
        func checkKey(_ recorded: String?) throws {
            guard let key, let recorded, recorded != key.fingerprint else { return }
            throw PrivctlError(
                .keyMismatch, path: "",
                problem: "the ledger \(opened.description) was written with pseudonym key \(recorded), but \(environment.keyURL.path) is key \(key.fingerprint); use the same key on every host (privctl key export/import)")
        }
        if let file = opened.localFile {
            try checkKey(recordedKey())
            ledger = opened.ledger
            // The scan index lives in the ledger's own database when it is SQLite.
            index = MessageIndex(
                database: try (opened.ledger as? SQLiteLedger)?.database
                    ?? LedgerDatabase(url: file.deletingLastPathComponent().appendingPathComponent("state.sqlite")))
            isLocalFile = true
            stateDirectory = file.deletingLastPathComponent()
            spooling = nil
        } else {
            // A server that cannot be reached cannot say whether it is set up: the run goes on
            // through the spool, and the next run checks. One that says no is refused before
            // any local state is made.
            var unreachable: LedgerUnavailableError?
            do {
                try checkKey(recordedKey())
            } catch let error as LedgerUnavailableError {
                unreachable = error
            }
            let state = environment.stateDirectory
            let local = try LedgerDatabase(url: state.appendingPathComponent("state.sqlite"))
            let spooling = SpoolingLedger(
                remote: opened.ledger, spool: try EventSpool(url: state.appendingPathComponent("spool.sqlite")))
            do {
                if let unreachable { throw unreachable }
                let delivered = try spooling.deliverSpooled()
                if delivered > 0 { logger.notice("delivered \(delivered) spooled event(s) to \(opened.description)") }
            } catch let error as LedgerUnavailableError {
                // Said once at the end, if events had to wait (``finish()``).
                logger.notice("\(error)")
            }
            ledger = spooling
            index = MessageIndex(database: local)
            isLocalFile = false
            stateDirectory = state
            self.spooling = spooling
        }
        wasCreated = created
    }

    /// Warns (through the logger) when events still wait in the spool at the end of a run.
    public func finish() {
        guard let spooling, let waiting = try? spooling.spooledCount(), waiting > 0 else { return }
        let reason = spooling.lastUnavailability.map { " (\($0))" } ?? ""
        logger.warning(
            "the fleet ledger \(description) could not be reached\(reason): \(waiting) event(s) wait in \(spooling.spool.url.path); the next privctl run delivers them")
    }
}

extension LedgerSession {
    /// The fingerprint of the key the ledger of `environment` was set up with; nil when it does
    /// not exist, was never set up, or cannot be reached. Opens nothing new (a missing file stays
    /// missing).
    public static func recordedKey(
        of environment: PrivctlEnvironment, backends: LedgerBackends = LedgerSession.standardBackends
    ) throws -> String? {
        let location = try LedgerLocation(parsing: environment.ledger)
        if try backends.backend(for: location).exists(location) == false { return nil }
        do {
            return try backends.open(location).metadata.metaValue("pseudonym_key")
        } catch is LedgerUnavailableError {
            return nil
        }
    }
}

/// `privctl ledger migrate`: a host's SQLite ledger copied into a fleet's PostgreSQL ledger, every
/// event with its id, sequence and hash (``LedgerMigration``), and the copy verified.
public struct LedgerMigrationJob: Sendable {
    /// What a copy did.
    public struct Result: Sendable {
        public var copied: Int
        public var alreadyPresent: Int
        public var hosts: [String]
        public var verified: Bool
    }

    let target: PostgresURL

    /// A copy to `target`, a `postgres://` URL (checked here, before anything is opened).
    /// - Throws: `PrivctlError` `.invalidInput` for a location of another backend
    ///   (``usageProblem(_:)``), `LedgerLocationError` for a malformed one or an unknown scheme.
    public init(to target: String) throws {
        let backend = try LedgerSession.standardBackends.backend(for: LedgerLocation(parsing: target))
        guard backend is PostgresLedgerBackend else {
            throw PrivctlError(.invalidInput, path: "", problem: Self.usageProblem(target) ?? target)
        }
        self.target = try PostgresURL(parsing: target)
    }

    /// Why `target` cannot be copied to at all (it names a ledger of another backend), or nil;
    /// a command line reports this as a usage error. Malformed URLs and unknown schemes are
    /// left to ``init(to:)``.
    public static func usageProblem(_ target: String) -> String? {
        guard let location = try? LedgerLocation(parsing: target),
            let backend = try? LedgerSession.standardBackends.backend(for: location),
            !(backend is PostgresLedgerBackend)
        else { return nil }
        return "--to must be a postgres:// URL, got \(target)"
    }

    /// Copies the ledger of `session` (a file) into the fleet ledger. The fleet ledger must be
    /// new or written with `key`.
    public func run(from session: LedgerSession, key: PseudonymKey, progress: ((Int) -> Void)? = nil) throws -> Result {
        guard session.isLocalFile else {
            throw PrivctlError(
                .invalidInput, path: "", problem: "the source ledger \(session.description) is not a SQLite file; give it with --ledger PATH")
        }
        let fleet = try PostgresLedger(url: target)
        defer { fleet.close() }
        let recorded = try fleet.metaValue("pseudonym_key", recordingIfAbsent: key.fingerprint)
        guard recorded == key.fingerprint else {
            throw PrivctlError(
                .keyMismatch, path: "",
                problem: "the fleet ledger \(target) was written with pseudonym key \(recorded), but this host's key is \(key.fingerprint); nothing was copied (privctl key import)")
        }
        let report = try LedgerMigration.copy(from: session.ledger, to: fleet, progress: progress)
        return Result(
            copied: report.copied, alreadyPresent: report.alreadyPresent, hosts: report.hosts,
            verified: report.verification.isIntact)
    }
}
