import PostgresNIO
import PrivacyEvents

/// Turns postgres-nio's errors into one-line ``LedgerError``s, and failures to reach the server
/// into ``LedgerUnavailableError`` (which a spooling ledger answers by spooling).
enum PostgresErrors {
    /// SQLSTATE of a server error, when it is one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the error says the server is not there (refused, timed out, went away, shutting
    /// down, starting up) rather than that it refused what was asked.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if error is LedgerUnavailableError { return true }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return true
            case .server:
                // Class 08: connection exception; 57P01–57P03: admin shutdown, crash shutdown,
                // cannot connect now (starting up or shutting down).
                guard let state = psql.serverInfo?[.sqlState] else { return false }
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            default:
                return false
            }
        }
        // Errors from the socket layer (connection refused, timeouts, resolution failures).
        return error is IOError || error is ChannelError || error is NIOConnectionError
    }

    /// A one-line message for `error`: the server's own message and SQLSTATE when there is one.
    static func describe(_ error: any Error) -> String {
        if let ledger = error as? LedgerError { return ledger.description }
        if let unavailable = error as? LedgerUnavailableError { return unavailable.description }
        guard let psql = error as? PSQLError else { return "\(error)" }
        if let info = psql.serverInfo, let message = info[.message] {
            var text = message
            if let detail = info[.detail] { text += " (\(detail))" }
            if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
            return text
        }
        if let underlying = psql.underlying { return "\(psql.code): \(underlying)" }
        return "\(psql.code)"
    }

    /// Maps an error met while `doing` something (`"connect to"`) with the ledger, or while
    /// running a query on it (`doing` nil).
    static func map(_ error: any Error, url: PostgresURL, doing: String? = nil) -> any Error {
        if error is LedgerError || error is LedgerUnavailableError { return error }
        let text = (doing.map { "cannot \($0) the ledger \(url): " } ?? "ledger \(url): ") + describe(error)
        return isConnectionFailure(error) ? LedgerUnavailableError(text) : LedgerError(text, sqlState: sqlState(error))
    }
}
