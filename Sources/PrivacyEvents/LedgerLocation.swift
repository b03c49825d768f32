import Foundation

/// Where the ledger lives, as `--ledger` or `PRIVCTL_LEDGER` gives it: `SCHEME://…` for a
/// backend chosen by its URL scheme (``LedgerBackends``), anything else a path of a file on this
/// host. Parsing is pure: nothing is opened here, and what follows the scheme is the backend's
/// to read.
///
/// ```
/// /var/lib/privctl/ledger.sqlite
/// sqlite:///var/lib/privctl/ledger.sqlite
/// postgres://mx1@ledger.example.org/privctl
/// postgres://mx1:secret@10.0.0.5:5433/privctl?sslmode=require
/// ```
public struct LedgerLocation: Hashable, Sendable, CustomStringConvertible {
    /// The value as given.
    public let value: String
    /// The URL scheme, lower-cased, or nil for a plain path.
    public let scheme: String?

    /// Reads a `--ledger` / `PRIVCTL_LEDGER` value.
    public init(parsing value: String) throws(LedgerLocationError) {
        guard !value.isEmpty else {
            throw LedgerLocationError("ledger location is empty: give a SQLite file path or a postgres:// URL")
        }
        self.value = value
        scheme = LedgerLocation.scheme(of: value)
    }

    /// The location from an explicit option, else `PRIVCTL_LEDGER` in `environment`, else
    /// `defaultPath` (a file).
    public static func resolve(
        option: String?, environment: [String: String] = ProcessInfo.processInfo.environment, defaultPath: String
    ) throws(LedgerLocationError) -> LedgerLocation {
        if let option { return try LedgerLocation(parsing: option) }
        if let value = environment["PRIVCTL_LEDGER"], !value.isEmpty { return try LedgerLocation(parsing: value) }
        return try LedgerLocation(parsing: defaultPath)
    }

    /// What follows `SCHEME://`, or the whole value for a plain path.
    public var remainder: String {
        guard let scheme else { return value }
        return String(value.dropFirst(scheme.count + 3))
    }

    /// The value with a URL's password replaced by `***`, for messages. Backends describe the
    /// ledgers they open themselves (``OpenedLedger/description``).
    public var description: String { LedgerLocation.redacting(value) }

    /// The scheme of a `scheme://…` value, lower-cased, or nil for a plain path.
    public static func scheme(of value: String) -> String? {
        guard let range = value.range(of: "://") else { return nil }
        let scheme = value[..<range.lowerBound]
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return nil }
        return scheme.lowercased()
    }

    /// `value` with the password of a URL replaced, for error messages about unparseable URLs.
    public static func redacting(_ value: String) -> String {
        guard let schemeEnd = value.range(of: "://"), let at = value[schemeEnd.upperBound...].lastIndex(of: "@") else {
            return value
        }
        let userInfo = value[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return value }
        return String(value[..<colon]) + ":***" + String(value[at...])
    }
}

/// A `--ledger` / `PRIVCTL_LEDGER` value that names no usable ledger; one line a user can act on.
public struct LedgerLocationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
