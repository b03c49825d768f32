import Foundation
import GRDB
import PrivacyEvents

/// What a scrub learned of one backup archive that it read whole and left unchanged.
public struct ArchiveState: Sendable, Equatable {
    /// The archive's path.
    public var path: String
    /// The file as it was read: device, inode, size, modification and status-change times. Any
    /// change to the file changes its status-change time, which no program can set back.
    public var identity: String
    /// What decided the scrub (policy, key, holds, decisions, days of logs in backups), as one
    /// fingerprint: when any of it changes, the archive is read again.
    public var conditions: String
    /// The fingerprint of the pending erasure requests it was last checked against.
    public var requests: String
    /// Everyone the archive names (in headers and decoded text), as pseudonyms in a Bloom
    /// filter: a new request for someone it cannot hold does not make it be read.
    public var named: PseudonymFilter?
    /// The first day on which something in it becomes due (a message's backup retention ends,
    /// a block ends, server logs pass their days), nil when nothing in it ever does.
    public var nextDue: CalendarDay?
    /// The day of the scrub that read it.
    public var readOn: CalendarDay

    public init(
        path: String, identity: String, conditions: String, requests: String, named: PseudonymFilter?, nextDue: CalendarDay?,
        readOn: CalendarDay
    ) {
        self.path = path
        self.identity = identity
        self.conditions = conditions
        self.requests = requests
        self.named = named
        self.nextDue = nextDue
        self.readOn = readOn
    }
}

/// The scrub index: per backup archive, what the last scrub that read it found, so that a night
/// with nothing new reads no archive (issue "Backups at scale"). Kept in the local database beside
/// the scan index, outside the chain: paths, days, and who an archive names only as pseudonyms
/// in a Bloom filter (like the scan index's pseudonyms, meaningless without the key).
public final class ArchiveScrubIndex: Sendable {
    let database: LedgerDatabase

    public init(database: LedgerDatabase) {
        self.database = database
    }

    /// The states recorded for these paths.
    public func lookup(_ paths: [String]) throws(LedgerError) -> [String: ArchiveState] {
        do {
            return try database.pool.read { db in
                var found: [String: ArchiveState] = [:]
                let statement = try db.makeStatement(
                    sql: "SELECT identity, conditions, requests, named, next_due, read_on FROM archive_state WHERE path = ?")
                for path in paths {
                    guard let row = try Row.fetchOne(statement, arguments: [path]) else { continue }
                    let named: Data? = row[3]
                    let nextDue: String? = row[4]
                    let readOn: String = row[5]
                    guard let read = CalendarDay(iso: readOn) else { continue }
                    found[path] = ArchiveState(
                        path: path, identity: row[0], conditions: row[1], requests: row[2],
                        named: named.flatMap { PseudonymFilter(bytes: [UInt8]($0)) }, nextDue: nextDue.flatMap(CalendarDay.init(iso:)),
                        readOn: read)
                }
                return found
            }
        } catch {
            throw LedgerError("cannot read the archive scrub index in \(database.url.path) (\(LedgerDatabase.describe(error)))")
        }
    }

    /// Records states (replacing earlier ones of the same paths) and forgets others.
    public func update(record states: [ArchiveState], forget paths: [String]) throws(LedgerError) {
        guard !states.isEmpty || !paths.isEmpty else { return }
        do {
            try database.pool.write { db in
                let insert = try db.makeStatement(sql: """
                    INSERT OR REPLACE INTO archive_state (path, identity, conditions, requests, named, next_due, read_on)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for state in states {
                    try insert.execute(arguments: [
                        state.path, state.identity, state.conditions, state.requests, state.named.map { Data($0.bytes) },
                        state.nextDue?.description, state.readOn.description,
                    ])
                }
                let delete = try db.makeStatement(sql: "DELETE FROM archive_state WHERE path = ?")
                for path in paths { try delete.execute(arguments: [path]) }
            }
        } catch {
            throw LedgerError("cannot write the archive scrub index in \(database.url.path) (\(LedgerDatabase.describe(error)))")
        }
    }

    /// How many archives it knows.
    public func count() throws(LedgerError) -> Int {
        do {
            return try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM archive_state") ?? 0 }
        } catch {
            throw LedgerError("cannot read the archive scrub index in \(database.url.path) (\(LedgerDatabase.describe(error)))")
        }
    }
}
