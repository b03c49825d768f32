import Foundation
import PrivacyEvents

/// The connections of one ledger: a few of them, each used by one caller at a time, on the
/// caller's own thread.
///
/// Why plain threads and libpq: the ``Ledger`` protocol is synchronous and privctl calls it from
/// plain threads (the command's main thread, the `LedgerWriter`'s dispatch queue). Each call runs
/// its statements on the calling thread through a ``PostgresConnection``, which waits for the
/// server with `poll()` and a deadline. No event loop or Swift-concurrency task is involved, so
/// a blocked caller never waits for a thread that another blocked caller holds.
///
/// Connections: an idle list. A caller takes an idle connection or opens a new one, and gives it
/// back when done, so several threads (and a `forEachEvent` body that appends) each get their
/// own. A connection that failed because the server went away (or fell silent past the query
/// timeout) is closed and dropped, and an idle one whose server went away meanwhile is dropped
/// when taken; the next call opens a fresh one. Schema migrations run once, on the first
/// connection.
final class PostgresConnector: @unchecked Sendable {
    let url: PostgresURL
    private let migrate: @Sendable (PostgresConnection) throws -> Void

    // Guarded by `lock`.
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var migrated = false
    private var closed = false

    /// Keeps at most this many idle connections.
    private let maxIdle = 4

    init(url: PostgresURL, migrate: @escaping @Sendable (PostgresConnection) throws -> Void) {
        self.url = url
        self.migrate = migrate
    }

    deinit { close() }

    /// Closes the idle connections; later calls fail.
    func close() {
        let connections = lock.withLock {
            closed = true
            defer { idle = [] }
            return idle
        }
        for connection in connections { connection.close() }
    }

    /// Runs `body` with a connection of its own. The connection goes back to the idle list
    /// unless `body` failed because the connection broke.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try take()
        do {
            let result = try body(connection)
            give(connection)
            return result
        } catch {
            if connection.isBroken || error is LedgerUnavailableError {
                connection.close()
            } else {
                give(connection)
            }
            throw error
        }
    }

    /// Runs `body` in a transaction: `BEGIN` (with `mode`, e.g. `ISOLATION LEVEL REPEATABLE READ
    /// READ ONLY`), `COMMIT` when it returns, `ROLLBACK` when it throws.
    func inTransaction<T>(_ mode: String = "", _ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.run(mode.isEmpty ? "BEGIN" : "BEGIN " + mode)
            do {
                let result = try body(connection)
                try connection.run("COMMIT")
                return result
            } catch {
                if !connection.isBroken { _ = try? connection.run("ROLLBACK") }
                throw error
            }
        }
    }

    private func take() throws -> PostgresConnection {
        let (reused, needsMigration): (PostgresConnection?, Bool) = try lock.withLock {
            guard !closed else { throw LedgerError("ledger \(url): closed") }
            return (idle.popLast(), !migrated)
        }
        if let reused {
            if reused.isUsableWhenIdle() { return reused }
            reused.close()
            return try take()
        }
        let connection = try PostgresConnection(url: url)
        if needsMigration {
            do {
                try migrate(connection)
                lock.withLock { migrated = true }
            } catch {
                connection.close()
                throw error
            }
        }
        return connection
    }

    private func give(_ connection: PostgresConnection) {
        let keep = lock.withLock {
            guard !closed, idle.count < maxIdle, !connection.isBroken else { return false }
            idle.append(connection)
            return true
        }
        if !keep { connection.close() }
    }
}
