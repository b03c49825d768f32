#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif
import CLibpq
import FileSystem
import PrivacyEvents

/// One connection to the ledger's server through libpq: the only type that holds libpq's
/// handles (`PGconn`, `PGresult`), so callers see Swift strings and thrown ledger errors only.
///
/// Why libpq's asynchronous calls under a synchronous method: the ``Ledger`` protocol is
/// synchronous, and libpq's blocking calls (`PQexecParams`) wait for the server without limit.
/// A server stopped or killed mid-statement can leave the answer pending forever, so a statement
/// is sent with `PQsendQueryParams` on a non-blocking connection and its answer awaited with
/// `poll()` on `PQsocket` until a deadline (``PostgresURL/queryTimeout``); then the connection
/// is closed and the statement fails with ``LedgerUnavailableError`` (a spooling ledger keeps
/// the events). The connection attempt itself is bounded by libpq's `connect_timeout`.
///
/// Values travel in PostgreSQL's text format both ways (``PostgresText``): the schema has no
/// `bytea` column, and text keeps the one representation the server prints and parses.
///
/// `@unchecked Sendable`: a `PGconn` must not be used by two threads at once, and
/// ``PostgresConnector`` hands each connection to one caller at a time; the connection only
/// moves between threads through the connector's lock.
final class PostgresConnection: @unchecked Sendable {
    let url: PostgresURL
    /// nil once closed.
    private var handle: OpaquePointer?

    /// Connects (blocking, at most `connect_timeout` seconds per address of the host).
    init(url: PostgresURL) throws {
        self.url = url
        let parameters = try Self.parameters(for: url)
        let started = ContinuousClock.now
        let handle = Self.withKeywords(parameters) { PQconnectdbParams($0, $1, 0) }
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = handle.map { Self.oneLine(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(handle)
            // Whether the server answered (and refused: a missing database, a wrong password, no
            // TLS or a certificate that does not verify) or is not there (refused, silent,
            // starting up or shutting down). libpq keeps the SQLSTATE of a refused connection to
            // itself; `PQpingParams` is its documented way to tell these apart, asked without
            // requiring TLS so that a TLS failure counts as an answer. A connection that used up
            // its whole timeout had no answer.
            let timedOut = ContinuousClock.now - started >= .seconds(url.connectTimeout)
            let ping = parameters.filter { $0.0 != "sslrootcert" }.map { $0.0 == "sslmode" ? ($0.0, "prefer") : $0 }
            let answered = !timedOut && Self.withKeywords(ping) { PQpingParams($0, $1, 0) } == PQPING_OK
            throw PostgresErrors.connectionRefused(url: url, message: message, serverAnswered: answered)
        }
        self.handle = handle
        // libpq prints the server's notices (a `CREATE TABLE IF NOT EXISTS` that skipped) to
        // stderr by default; they are not errors, and privctl's stderr is for its summaries.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        // Sending must not block either: a stopped server stops reading too.
        guard PQsetnonblocking(handle, 1) == 0 else {
            let message = Self.oneLine(PQerrorMessage(handle))
            close()
            throw LedgerError("ledger \(url): \(message)")
        }
    }

    deinit { close() }

    /// Whether the connection can no longer be used: closed here, or lost.
    var isBroken: Bool {
        guard let handle else { return true }
        return PQstatus(handle) != CONNECTION_OK
    }

    /// Closes the connection (a `Terminate` message, sent if the socket takes it at once).
    func close() {
        PQfinish(handle)
        handle = nil
    }

    /// Whether an idle connection is still usable: reads what the server sent meanwhile without
    /// waiting, so that a connection whose server went away (a restart, an admin's
    /// `pg_terminate_backend`) is found out before a statement is sent on it.
    func isUsableWhenIdle() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        for _ in 0..<8 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return true }
            guard PQconsumeInput(handle) == 1 else { return false }
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Runs one statement with `parameters` (`$1`, `$2`, … in `sql`, text format, nil for NULL)
    /// and returns all its rows. Errors become ``LedgerError`` or, when the server is gone or
    /// silent past ``PostgresURL/queryTimeout``, ``LedgerUnavailableError``.
    @discardableResult
    func run(_ sql: String, _ parameters: [String?] = []) throws -> PostgresRows {
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw LedgerUnavailableError("ledger \(url): the connection was closed")
        }
        if parameters.contains(where: { $0?.utf8.contains(0) == true }) {
            throw LedgerError("ledger \(url): a value contains a NUL character, which PostgreSQL text cannot hold")
        }
        let deadline = ContinuousClock.now + .seconds(url.queryTimeout)
        let sent = Self.withCStrings(parameters) { values in
            PQsendQueryParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw failure(handle) }
        // Non-blocking: what did not fit in the socket is sent as the server reads it.
        while true {
            let flushed = PQflush(handle)
            if flushed == 0 { break }
            guard flushed == 1 else { throw failure(handle) }
            if try wait(handle, for: Int16(POLLIN | POLLOUT), until: deadline) & Int16(POLLIN) != 0 {
                guard PQconsumeInput(handle) == 1 else { throw failure(handle) }
            }
        }
        // One statement gives one result, then nil; an error result wins over any other.
        var kept: OpaquePointer?
        defer { PQclear(kept) }
        while true {
            while PQisBusy(handle) == 1 {
                _ = try wait(handle, for: Int16(POLLIN), until: deadline)
                guard PQconsumeInput(handle) == 1 else { throw failure(handle) }
            }
            guard let next = PQgetResult(handle) else { break }
            if kept == nil || (Self.isError(next) && !Self.isError(kept)) {
                PQclear(kept)
                kept = next
            } else {
                PQclear(next)
            }
        }
        guard let result = kept else { throw failure(handle) }
        guard !Self.isError(result) else {
            func field(_ code: Int32) -> String? { PQresultErrorField(result, code).map { String(cString: $0) } }
            throw PostgresErrors.statementFailed(
                url: url, message: field(CLibpq_DIAG_MESSAGE_PRIMARY) ?? Self.oneLine(PQresultErrorMessage(result)),
                detail: field(CLibpq_DIAG_MESSAGE_DETAIL), sqlState: field(CLibpq_DIAG_SQLSTATE),
                connectionLost: PQstatus(handle) != CONNECTION_OK)
        }
        return Self.rows(of: result)
    }

    /// Waits until the socket is ready for `events`, or fails when `deadline` passes (after
    /// closing the connection, whose protocol state is unknown from then on).
    private func wait(_ handle: OpaquePointer, for events: Int16, until deadline: ContinuousClock.Instant) throws -> Int16 {
        while true {
            let left = deadline - ContinuousClock.now
            let milliseconds = max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            var descriptor = pollfd(fd: PQsocket(handle), events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: milliseconds))
            if ready > 0 { return descriptor.revents }
            if ready < 0 {
                let number = errno
                if number == EINTR { continue }
                close()
                let reason = PrivctlError(errno: number, path: "", "cannot wait for the server")
                throw LedgerUnavailableError("ledger \(url): \(reason); the connection was closed")
            }
            if ContinuousClock.now >= deadline {
                close()
                throw LedgerUnavailableError(
                    "ledger \(url): no answer from the server within \(url.queryTimeout) s; the connection was closed")
            }
        }
    }

    /// The error libpq reports on the connection (it could not send, or lost the server).
    private func failure(_ handle: OpaquePointer) -> any Error {
        PostgresErrors.statementFailed(
            url: url, message: Self.oneLine(PQerrorMessage(handle)), detail: nil, sqlState: nil,
            connectionLost: PQstatus(handle) != CONNECTION_OK)
    }

    private static func isError(_ result: OpaquePointer?) -> Bool {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return false
        default: return true
        }
    }

    /// Copies a result's values out of libpq's memory, NULL as nil.
    private static func rows(of result: OpaquePointer) -> PostgresRows {
        let count = PQntuples(result)
        let columns = PQnfields(result)
        var rows: [PostgresRows.Row] = []
        rows.reserveCapacity(Int(count))
        for row in 0..<count {
            rows.append(PostgresRows.Row(values: (0..<columns).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }))
        }
        let affected = PQcmdTuples(result).map { Int(String(cString: $0)) ?? 0 } ?? 0
        return PostgresRows(rows: rows, affected: affected)
    }

    /// libpq's connection keywords for `url`: given as keyword/value arrays, never as a conninfo
    /// string, so no value needs quoting. What the URL leaves out (a password, say) libpq may
    /// still take from `PG*` environment variables and `~/.pgpass`, as every libpq client does.
    private static func parameters(for url: PostgresURL) throws -> [(String, String)] {
        var parameters: [(String, String)] = [
            ("host", url.socketDirectory ?? url.host), ("port", String(url.port)), ("user", url.user),
            ("dbname", url.database), ("connect_timeout", String(url.connectTimeout)), ("client_encoding", "UTF8"),
        ]
        if let password = url.password { parameters.append(("password", password)) }
        switch url.tls {
        case .disable:
            parameters.append(("sslmode", "disable"))
        case .require:
            // The certificate verified against the system's trust roots, and the host name
            // against it: libpq's verify-full, with the system's bundle as its root file.
            guard let roots = trustRoots() else {
                throw LedgerError(
                    "ledger \(url): sslmode=require needs the system's trust roots (install ca-certificates or set SSL_CERT_FILE)")
            }
            parameters += [("sslmode", "verify-full"), ("sslrootcert", roots)]
        }
        return parameters
    }

    /// The system's bundle of trusted certificates: `SSL_CERT_FILE`, or where Debian, Red Hat
    /// and Alpine keep it.
    private static func trustRoots() -> String? {
        let candidates = [getenv("SSL_CERT_FILE").map { String(cString: $0) }].compactMap { $0 } + [
            "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
        ]
        return candidates.first { access($0, R_OK) == 0 }
    }

    /// libpq's messages end in a newline and may span lines (a hint on the next, tab-indented).
    private static func oneLine(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        return String(cString: text).split(whereSeparator: \.isNewline)
            .map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: " ")
    }

    /// Calls `body` with libpq's NULL-terminated keyword and value arrays for `parameters`.
    private static func withKeywords<R>(
        _ parameters: [(String, String)], _ body: ([UnsafePointer<CChar>?], [UnsafePointer<CChar>?]) -> R
    ) -> R {
        withCStrings(parameters.map(\.0) + [nil]) { keywords in
            withCStrings(parameters.map(\.1) + [nil]) { values in body(keywords, values) }
        }
    }

    /// Calls `body` with C copies of `strings` (nil stays NULL), valid for the call only.
    private static func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}
