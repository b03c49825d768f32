import FileSystem
import Foundation
import GRDB
import PrivacyEvents

/// The embedded backend: a SQLite file on this host, named by a plain path or `sqlite://PATH`
/// (`sqlite:///var/lib/privctl/ledger.sqlite`).
public struct SQLiteLedgerBackend: LedgerBackend {
    public let schemes = ["sqlite"]
    public let opensPaths = true
    public let hint = "a SQLite file path"

    public init() {}

    public func open(_ location: LedgerLocation) throws -> OpenedLedger {
        let url = URL(fileURLWithPath: location.remainder)
        let ledger = try SQLiteLedger(url: url)
        return OpenedLedger(ledger: ledger, metadata: ledger, description: location.remainder, localFile: url)
    }

    public func exists(_ location: LedgerLocation) -> Bool? {
        do {
            return try FileSystem.info(atPath: location.remainder) != nil
        } catch {
            return nil  // not readable here: opening says why
        }
    }
}

extension SQLiteLedger: LedgerMetadata {
    public func metaValue(_ name: String) throws -> String? {
        do {
            return try database.meta(name)
        } catch {
            throw LedgerError("cannot read the ledger \(database.url.path): \(LedgerDatabase.describe(error))")
        }
    }

    public func metaValue(_ name: String, recordingIfAbsent value: String) throws -> String {
        do {
            return try database.pool.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO ledger_meta (key, value) VALUES (?, ?)", arguments: [name, value])
                return try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = ?", arguments: [name]) ?? value
            }
        } catch {
            throw LedgerError("cannot write the ledger \(database.url.path): \(LedgerDatabase.describe(error))")
        }
    }
}
