import Foundation
import Logging
import PostgresNIO
import PrivacyEvents

/// The bridge between the synchronous ``Ledger`` protocol and postgres-nio: a few connections,
/// each used by one caller at a time, and blocking waits on the calling thread.
///
/// Why futures and blocking waits rather than a `PostgresClient` run in a `Task`: the `Ledger`
/// protocol is synchronous and privctl calls it from plain threads (the command's main thread,
/// the `LedgerWriter`'s dispatch queue). Every call here goes through postgres-nio's
/// `EventLoopFuture` API on NIO's shared event-loop threads, and the caller waits with
/// `EventLoopFuture.wait()`. No Swift-concurrency task is involved, so a blocked caller never
/// waits for work that needs a thread of the cooperative pool (on two cores that pool has two
/// threads, and a semaphore-bridged `Task` can starve it and deadlock). The one rule: never call
/// the ledger from a NIO event-loop thread (NIO traps on `wait()` there).
///
/// Connections: an idle list. A caller takes an idle connection or opens a new one, and gives it
/// back when done, so several threads (and a `forEachEvent` body that appends) each get their
/// own. A connection that failed because the server went away is closed and dropped; the next
/// call opens a fresh one. Schema migrations run once, on the first connection.
final class PostgresConnector: @unchecked Sendable {
    let url: PostgresURL
    private let configuration: PostgresConnection.Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let logger = Logger(label: "privctl.postgres-ledger", factory: { _ in SwiftLogNoOpLogHandler() })
    private let migrate: @Sendable (PostgresConnector, PostgresConnection) throws -> Void

    // Guarded by `lock`.
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private var nextID = 1
    private var migrated = false
    private var closed = false

    /// Keeps at most this many idle connections.
    private let maxIdle = 4

    init(
        url: PostgresURL, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        migrate: @escaping @Sendable (PostgresConnector, PostgresConnection) throws -> Void
    ) throws(LedgerError) {
        self.url = url
        self.eventLoopGroup = eventLoopGroup
        self.migrate = migrate
        var configuration: PostgresConnection.Configuration
        if let socketPath = url.socketPath {
            configuration = .init(unixSocketPath: socketPath, username: url.user, password: url.password, database: url.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch url.tls {
            case .disable:
                tls = .disable
            case .require:
                do {
                    tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                } catch {
                    throw LedgerError("ledger \(url): cannot set up TLS: \(error)")
                }
            }
            configuration = .init(
                host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeout))
        self.configuration = configuration
    }

    deinit { close() }

    /// Closes the idle connections; later calls fail.
    func close() {
        let connections = lock.withLock {
            closed = true
            defer { idle = [] }
            return idle
        }
        for connection in connections { Self.closeAndWait(connection) }
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
            if connection.isClosed || Self.isUnavailable(error) {
                Self.closeAndWait(connection)
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
            try run(connection, PostgresQuery(unsafeSQL: mode.isEmpty ? "BEGIN" : "BEGIN " + mode))
            do {
                let result = try body(connection)
                try run(connection, "COMMIT")
                return result
            } catch {
                if !connection.isClosed { _ = try? run(connection, "ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs one query and waits for all its rows. Errors become ``LedgerError`` or, when the
    /// server cannot be reached, ``LedgerUnavailableError``.
    @discardableResult
    func run(_ connection: PostgresConnection, _ query: PostgresQuery) throws -> PostgresQueryResult {
        // A server that dies while a statement is on its way can leave the answer pending
        // forever: after `queryTimeout` the wait ends and the connection is closed, which the
        // callers treat as an outage (a spooling ledger keeps the events).
        let eventLoop = connection.eventLoop
        let promise = eventLoop.makePromise(of: PostgresQueryResult.self)
        let once = CompletedOnce()
        connection.query(query, logger: logger).whenComplete { result in
            guard once.complete() else { return }
            promise.completeWith(result)
        }
        let seconds = url.queryTimeout
        let timeout = eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
            guard once.complete() else { return }
            promise.fail(QueryTimedOut())
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
        defer { timeout.cancel() }
        do {
            return try promise.futureResult.wait()
        } catch is QueryTimedOut {
            throw LedgerUnavailableError("ledger \(url): no answer from the server within \(seconds) s; the connection was closed")
        } catch {
            throw PostgresErrors.map(error, url: url)
        }
    }

    /// Closes a connection and waits until it is (postgres-nio asserts that a connection is
    /// closed before it is released).
    static func closeAndWait(_ connection: PostgresConnection) {
        _ = try? connection.close().wait()
    }

    private func take() throws -> PostgresConnection {
        let (reused, id, needsMigration): (PostgresConnection?, Int, Bool) = try lock.withLock {
            guard !closed else { throw LedgerError("ledger \(url): closed") }
            while let connection = idle.popLast() {
                if !connection.isClosed { return (connection, 0, false) }
            }
            defer { nextID += 1 }
            return (nil, nextID, !migrated)
        }
        if let reused { return reused }
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: eventLoopGroup.next(), configuration: configuration, id: id, logger: logger
            ).wait()
        } catch {
            throw PostgresErrors.map(error, url: url, doing: "connect to")
        }
        if needsMigration {
            do {
                try migrate(self, connection)
                lock.withLock { migrated = true }
            } catch {
                Self.closeAndWait(connection)
                throw error
            }
        }
        return connection
    }

    private func give(_ connection: PostgresConnection) {
        let keep = lock.withLock {
            guard !closed, idle.count < maxIdle, !connection.isClosed else { return false }
            idle.append(connection)
            return true
        }
        if !keep { Self.closeAndWait(connection) }
    }

    static func isUnavailable(_ error: any Error) -> Bool {
        error is LedgerUnavailableError || PostgresErrors.isConnectionFailure(error)
    }
}

/// The first of two racing completions (answer, timeout) wins; both run on the connection's
/// event loop, the lock only makes that safe to state.
private final class CompletedOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func complete() -> Bool {
        lock.withLock {
            defer { done = true }
            return !done
        }
    }
}

private struct QueryTimedOut: Error {}
