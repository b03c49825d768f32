import ArgumentParser
import Foundation
import MailStores
import Logging
import PrivacyEvents
import PrivctlKit
import RetentionPolicy

/// Options every command that touches state shares: where the ledger, key and policy are,
/// which host this is, and how talkative to be.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The ledger: a SQLite file, or postgres://USER@HOST:PORT/DB for a fleet's shared ledger (default: $PRIVCTL_LEDGER, else ~/.local/share/privctl/ledger.sqlite).",
        valueName: "path-or-url"))
    var ledger: String?

    @Option(help: ArgumentHelp(
        "The pseudonym key file, created on first use (default: $PRIVCTL_KEY, else ~/.local/share/privctl/pseudonym.key).",
        valueName: "path"))
    var key: String?

    @Option(help: ArgumentHelp(
        "The retention policy (default: $PRIVCTL_POLICY, else ~/.config/privctl/policy.yaml if present, else the built-in policy; see `privctl policy show`).",
        valueName: "file"))
    var policy: String?

    @Option(help: ArgumentHelp("This host's name in ledger events (default: $PRIVCTL_HOST, else the host name).", valueName: "name"))
    var host: String?

    @Flag(name: .shortAndLong, help: "Log what privctl does (debug level) on stderr.")
    var verbose = false

    @Option(help: ArgumentHelp(
        "The largest message read into memory; a larger one is reported and not read (default 100000000).", valueName: "bytes"))
    var maxMessageSize: Int = 100_000_000

    /// How much is read into memory at once.
    var limits: ReadLimits { ReadLimits(maxMessageSize: maxMessageSize) }

    /// The resolved locations.
    var environment: PrivctlEnvironment {
        PrivctlEnvironment.resolve(ledger: ledger, key: key, policy: policy, host: host)
    }

    /// A logger on stderr; warnings unless --verbose or PRIVCTL_LOG_LEVEL says otherwise.
    func makeLogger(_ label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        if verbose {
            logger.logLevel = .debug
        } else if let level = ProcessInfo.processInfo.environment["PRIVCTL_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) {
            logger.logLevel = level
        } else {
            logger.logLevel = .warning
        }
        return logger
    }

    /// Loads the policy in effect.
    func loadPolicy() throws -> RetentionPolicy {
        guard let url = environment.policyURL else { return RetentionPolicy.builtIn }
        do {
            return try RetentionPolicy(contentsOf: url)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Loads (or creates) the pseudonym key.
    func loadKey() throws -> PseudonymKey {
        do {
            return try PseudonymKey.loadOrCreate(at: environment.keyURL)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Opens the ledger (SQLite or the fleet's PostgreSQL) and checks that it was written with
    /// this key; `recordingKey: false` for commands that only read.
    func openLedger(key: PseudonymKey, recordingKey: Bool = true) throws -> OpenLedger {
        try OpenLedger(environment: environment, key: key, recordingKey: recordingKey, logger: makeLogger("privctl.ledger"))
    }
}

/// A failure to report in one line on stderr, with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
