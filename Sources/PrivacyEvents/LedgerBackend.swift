import Foundation

/// A kind of ledger storage, chosen by the URL scheme of a ``LedgerLocation``: SQLite for file
/// paths and `sqlite://`, PostgreSQL for `postgres://` and `postgresql://`.
///
/// A backend opens ledgers that implement ``Ledger`` and ``LedgerMetadata`` and pass the shared
/// behaviour tests (`LedgerBehaviourTests`). Add one by conforming and registering it in a
/// ``LedgerBackends`` value.
public protocol LedgerBackend: Sendable {
    /// The URL schemes it opens (lower case, without `://`).
    var schemes: [String] { get }
    /// Whether a plain path (a value without a scheme) names one of its ledgers.
    var opensPaths: Bool { get }
    /// How a user names one of its ledgers, for messages (`postgres://`, `a SQLite file path`).
    var hint: String { get }
    /// Opens (creating if needed) the ledger at `location`. A remote backend may connect lazily.
    func open(_ location: LedgerLocation) throws -> OpenedLedger
    /// Whether the ledger at `location` exists, when that can be known without creating
    /// anything (a file); nil when only opening tells (a server: its ledger counts as set up
    /// once it records a pseudonym key's fingerprint).
    func exists(_ location: LedgerLocation) -> Bool?
}

extension LedgerBackend {
    public func exists(_ location: LedgerLocation) -> Bool? { nil }
}

/// Facts about a whole ledger, each written once (the pseudonym key's fingerprint).
public protocol LedgerMetadata: Sendable {
    /// The recorded value, or nil.
    func metaValue(_ name: String) throws -> String?
    /// The recorded value; `value` is recorded first when there is none.
    func metaValue(_ name: String, recordingIfAbsent value: String) throws -> String
}

/// A ledger as its backend opened it.
public struct OpenedLedger: Sendable {
    /// Where events are appended and read.
    public var ledger: any Ledger
    /// The ledger's own facts.
    public var metadata: any LedgerMetadata
    /// Where it is, for messages (passwords hidden).
    public var description: String
    /// The file, for a ledger on this host; nil for a ledger shared by a fleet on a server,
    /// which a host writes through a local spool and beside which it keeps its own state.
    public var localFile: URL?

    public init(ledger: any Ledger, metadata: any LedgerMetadata, description: String, localFile: URL?) {
        (self.ledger, self.metadata, self.description, self.localFile) = (ledger, metadata, description, localFile)
    }
}

/// The backends a program knows, by scheme.
public struct LedgerBackends: Sendable {
    /// In registration order.
    public private(set) var all: [any LedgerBackend] = []

    /// A registry of `backends`; a scheme taken twice, or paths claimed twice, is an error.
    public init(_ backends: [any LedgerBackend]) throws(LedgerLocationError) {
        for backend in backends { try register(backend) }
    }

    /// Adds a backend.
    public mutating func register(_ backend: any LedgerBackend) throws(LedgerLocationError) {
        for scheme in backend.schemes where self.backend(scheme: scheme) != nil {
            throw LedgerLocationError("two ledger backends open \(scheme):// ledgers")
        }
        if backend.opensPaths && all.contains(where: \.opensPaths) {
            throw LedgerLocationError("two ledger backends open plain file paths")
        }
        all.append(backend)
    }

    /// The backend registered for `scheme`.
    public func backend(scheme: String) -> (any LedgerBackend)? {
        all.first { $0.schemes.contains(scheme.lowercased()) }
    }

    /// The backend that opens `location`: by its scheme, or the one that opens plain paths.
    public func backend(for location: LedgerLocation) throws(LedgerLocationError) -> any LedgerBackend {
        if let scheme = location.scheme {
            guard let backend = backend(scheme: scheme) else {
                throw LedgerLocationError(
                    "ledger URL \(location): unsupported scheme \(scheme):// (use \(hints))")
            }
            return backend
        }
        guard let backend = all.first(where: \.opensPaths) else {
            throw LedgerLocationError("ledger \(location): not a URL (use \(hints))")
        }
        return backend
    }

    /// Opens the ledger at `location` with its backend.
    public func open(_ location: LedgerLocation) throws -> OpenedLedger {
        try backend(for: location).open(location)
    }

    /// "postgres:// or a SQLite file path": the backends for URLs first, then the one for paths.
    private var hints: String {
        let ordered = all.filter { !$0.opensPaths } + all.filter(\.opensPaths)
        let names = ordered.map(\.hint)
        guard names.count > 1 else { return names.first ?? "nothing: no ledger backend is registered" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
