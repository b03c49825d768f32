import PrivacyEvents

/// The fleet backend: a PostgreSQL database shared by many hosts, named by a `postgres://` or
/// `postgresql://` URL (``PostgresURL``). Opening does not connect.
public struct PostgresLedgerBackend: LedgerBackend {
    public let schemes = ["postgres", "postgresql"]
    public let opensPaths = false
    public let hint = "postgres://"

    public init() {}

    public func open(_ location: LedgerLocation) throws -> OpenedLedger {
        let ledger = try PostgresLedger(url: try PostgresURL(parsing: location.value))
        return OpenedLedger(ledger: ledger, metadata: ledger, description: ledger.url.description, localFile: nil)
    }
}

extension PostgresLedger: LedgerMetadata {}
