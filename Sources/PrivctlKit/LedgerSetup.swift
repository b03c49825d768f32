import FileSystem
import Foundation
import PrivacyEvents

/// `privctl init`: the one step that creates this host's pseudonym key and ledger (or, for a
/// fleet's PostgreSQL ledger, sets up its schema and records the key's fingerprint). Every
/// other run refuses a missing ledger or key, so that a typo in `--ledger` or a missing
/// configuration in a cron job never starts an empty ledger. Running it again changes nothing.
public enum LedgerSetup {
    /// What `init` found or created.
    public struct Result: Sendable {
        /// The ledger (passwords hidden).
        public var ledger: String
        /// The pseudonym key file.
        public var keyPath: String
        public var fingerprint: String
        /// What this run created, in words ("the ledger /var/lib/privctl/ledger.sqlite"); empty
        /// when everything was already there.
        public var created: [String]

        /// One line per thing created, or one saying all was there.
        public func text() -> String {
            if created.isEmpty {
                return "already set up: the ledger \(ledger) with the pseudonym key \(keyPath) (fingerprint \(fingerprint)); nothing changed\n"
            }
            return created.map { "created " + $0 + "\n" }.joined()
        }

        /// One JSON object: ledger, key, fingerprint, created (the sentences above).
        public func json() -> String {
            JSONLine(["ledger": .string(ledger), "key": .string(keyPath), "fingerprint": .string(fingerprint), "created": .strings(created)])
                .string
        }
    }

    /// Creates what is missing of the context's key and ledger.
    /// - Throws: `PrivctlError` `.keyMismatch` when the ledger exists with another key.
    public static func run(context: PrivctlContext) throws -> Result {
        let keyURL = context.environment.keyURL
        if !FileManager.default.fileExists(atPath: keyURL.path), let recorded = try LedgerSession.recordedKey(of: context.environment) {
            throw PrivctlError(
                .keyMismatch, path: keyURL.path,
                problem: "no pseudonym key here, and the ledger \(context.environment.ledger) is set up with key \(recorded): bring that key here first (privctl key export/import)")
        }
        context.mayCreateState = true
        let key = try context.key()
        let session = try context.ledger()
        return Result(
            ledger: session.description, keyPath: context.environment.keyURL.path, fingerprint: key.fingerprint,
            created: context.created)
    }
}
