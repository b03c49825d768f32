import Foundation
import Logging
import PostgresLedger
import PrivacyEvents
import PrivctlKit
import SQLiteLedger

/// The ledger a command records to, opened from `--ledger` / `PRIVCTL_LEDGER`, with this
/// host's local state beside it.
///
/// - A SQLite path: one file holds the events and the index of messages already recorded.
/// - A `postgres://` URL: the events go to the fleet's database through a local spool
///   (`spool.sqlite` in the state directory), so that a host keeps working while the database
///   is unreachable and the next run delivers what waited, in order, exactly once. The index
///   of messages already recorded is this host's own (`state.sqlite`): mail never leaves the
///   host, and neither does the list of its message files.
///
/// Either way the ledger must have been written with the same pseudonym key: the first writer
/// records the key's fingerprint, later writers with another key are refused.
struct OpenLedger {
    /// Where events are appended and read.
    let ledger: any Ledger
    /// What this host has already recorded, by message.
    let index: MessageIndex
    /// The ledger as configured.
    let location: LedgerLocation
    /// The directory for this host's locks.
    let stateDirectory: URL
    /// The spooling wrapper, for a fleet ledger.
    let spooling: SpoolingLedger?

    /// Opens the ledger of `environment`, checking the pseudonym key. A ledger written for the
    /// first time records the key's fingerprint; `recordingKey: false` (for commands that only
    /// read) checks it when there is one and records nothing.
    init(environment: PrivctlEnvironment, key: PseudonymKey, recordingKey: Bool = true, logger: Logger) throws {
        do {
            location = try LedgerLocation(parsing: environment.ledger)
        } catch {
            throw CommandFailure(error.description)
        }
        do {
            switch location {
            case .sqlite(let path):
                let url = URL(fileURLWithPath: path)
                let database = try LedgerDatabase(url: url)
                try Self.checkKey(recorded: database.meta("pseudonym_key"), key: key, location: location, environment: environment) {
                    if recordingKey { try database.setMeta("pseudonym_key", key.fingerprint) }
                }
                ledger = SQLiteLedger(database: database)
                index = MessageIndex(database: database)
                stateDirectory = url.deletingLastPathComponent()
                spooling = nil
            case .postgres(let url):
                let state = environment.stateDirectory
                let local = try LedgerDatabase(url: state.appendingPathComponent("state.sqlite"))
                let remote = try PostgresLedger(url: url)
                let spooling = SpoolingLedger(
                    remote: remote, spool: try EventSpool(url: state.appendingPathComponent("spool.sqlite")))
                do {
                    let recorded = recordingKey
                        ? try remote.metaValue("pseudonym_key", recordingIfAbsent: key.fingerprint)
                        : try remote.metaValue("pseudonym_key")
                    try Self.checkKey(recorded: recorded, key: key, location: location, environment: environment) {}
                    let delivered = try spooling.deliverSpooled()
                    if delivered > 0 { logger.notice("delivered \(delivered) spooled event(s) to \(url)") }
                } catch let error as LedgerUnavailableError {
                    // Said once at the end, if events had to wait (``finish(logger:)``).
                    logger.notice("\(error)")
                }
                ledger = spooling
                index = MessageIndex(database: local)
                stateDirectory = state
                self.spooling = spooling
            }
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Warns (on stderr, through `logger`) when events still wait in the spool at the end.
    func finish(logger: Logger) {
        guard let spooling, let waiting = try? spooling.spooledCount(), waiting > 0 else { return }
        let reason = spooling.lastUnavailability.map { " (\($0))" } ?? ""
        logger.warning(
            "the fleet ledger \(location) could not be reached\(reason): \(waiting) event(s) wait in \(spooling.spool.url.path); the next privctl run delivers them")
    }

    private static func checkKey(
        recorded: String?, key: PseudonymKey, location: LedgerLocation, environment: PrivctlEnvironment,
        record: () throws -> Void
    ) throws {
        guard let recorded else { return try record() }
        guard recorded == key.fingerprint else {
            throw CommandFailure(
                "the ledger \(location) was written with pseudonym key \(recorded), but \(environment.keyURL.path) is key \(key.fingerprint); use the same key on every host (privctl key export/import)")
        }
    }
}
