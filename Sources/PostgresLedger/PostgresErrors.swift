import PrivacyEvents

/// Turns what libpq reports into one-line ``LedgerError``s, and failures to reach the server
/// into ``LedgerUnavailableError`` (which a spooling ledger answers by spooling).
///
/// Decisions are made on the SQLSTATE and on libpq's connection status, never on message text
/// (which the server translates).
enum PostgresErrors {
    /// Whether a server error's SQLSTATE says the server is going or gone rather than that it
    /// refused what was asked: class 08 (connection exception), 57P01–57P03 (admin shutdown,
    /// crash shutdown, cannot connect now: starting up or shutting down).
    static func isConnectionFailure(sqlState: String?) -> Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// A statement failed: `message` and `detail` are the server's (or libpq's own message when
    /// it could not send or lost the server, then without SQLSTATE); `connectionLost` is libpq's
    /// connection status afterwards.
    static func statementFailed(
        url: PostgresURL, message: String, detail: String?, sqlState: String?, connectionLost: Bool
    ) -> any Error {
        var text = "ledger \(url): " + message
        if let detail { text += " (\(detail))" }
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        if connectionLost || isConnectionFailure(sqlState: sqlState) { return LedgerUnavailableError(text) }
        return LedgerError(text, sqlState: sqlState)
    }

    /// A connection attempt failed with libpq's `message`. `serverAnswered`: the server is up and
    /// refused this connection (no such database, a wrong password, too many connections),
    /// which waiting will not mend; otherwise it is unreachable or not accepting connections.
    static func connectionRefused(url: PostgresURL, message: String, serverAnswered: Bool) -> any Error {
        let text = "cannot connect to the ledger \(url): " + message
        return serverAnswered ? LedgerError(text) : LedgerUnavailableError(text)
    }
}
