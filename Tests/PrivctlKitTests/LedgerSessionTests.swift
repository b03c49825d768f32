import FileSystem
import Foundation
import PrivctlKit
import SQLiteLedger
import TestSupport
import Testing

/// The library entry points the commands call: the ledger session with its key rule, the
/// shared context, and the exit statuses.
@Suite struct LedgerSessionTests {
    let key = PseudonymKey(bytes: Array(repeating: 5, count: 32))
    let otherKey = PseudonymKey(bytes: Array(repeating: 6, count: 32))

    func environment(_ dir: TemporaryDirectory, ledger: String? = nil) -> PrivctlEnvironment {
        PrivctlEnvironment(
            ledger: ledger ?? dir.url.appendingPathComponent("ledger.sqlite").path,
            stateDirectory: dir.url.appendingPathComponent("state"), keyURL: dir.url.appendingPathComponent("pseudonym.key"),
            policyURL: nil, host: "mx1")
    }

    @Test func theFirstWriterRecordsItsKeyAndAnotherKeyIsRefused() throws {
        let dir = try TemporaryDirectory()
        // A reader records nothing: a later writer with any key is welcome.
        _ = try LedgerSession(environment: environment(dir), key: otherKey, recordingKey: false, logger: .init(label: "t"))
        let session = try LedgerSession(environment: environment(dir), key: key, logger: .init(label: "t"))
        #expect(session.isLocalFile)
        #expect(session.stateDirectory.path == dir.url.path)
        for recording in [true, false] {
            #expect {
                try LedgerSession(environment: environment(dir), key: otherKey, recordingKey: recording, logger: .init(label: "t"))
            } throws: { error in
                (error as? PrivctlError)?.code == .keyMismatch && "\(error)".contains("privctl key export/import")
            }
        }
        #expect(try LedgerSession(environment: environment(dir), key: key, logger: .init(label: "t")).description.hasSuffix("ledger.sqlite"))
    }

    @Test func aSQLiteURLIsTheSameLedgerAsItsPath() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("ledger.sqlite").path
        let byPath = try LedgerSession(environment: environment(dir, ledger: path), key: key, logger: .init(label: "t"))
        try byPath.ledger.append([
            PrivacyEvent(
                host: "mx1", kind: .retain, subjects: [], dataCategory: "private", purpose: "test",
                legalBasis: LegalBasis(.contract), location: DataLocation(store: "/m"))
        ])
        let byURL = try LedgerSession(environment: environment(dir, ledger: "sqlite://" + path), key: key, logger: .init(label: "t"))
        #expect(try byURL.ledger.verify().eventCount == 1)
    }

    @Test func anUnknownSchemeIsOneLine() throws {
        let dir = try TemporaryDirectory()
        #expect {
            try LedgerSession(environment: environment(dir, ledger: "mysql://mx1@h/privctl"), key: key, logger: .init(label: "t"))
        } throws: { error in
            "\(error)" == "ledger URL mysql://mx1@h/privctl: unsupported scheme mysql:// (use postgres:// or a SQLite file path)"
        }
    }

    @Test func theContextLoadsOnFirstUseOnly() throws {
        let dir = try TemporaryDirectory()
        let context = PrivctlContext(environment: environment(dir), day: CalendarDay(iso: "2030-01-01"))
        #expect(context.day == CalendarDay(iso: "2030-01-01"))
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("pseudonym.key").path))
        #expect(try context.policy().categories.count == RetentionPolicy.builtIn.categories.count)
        let key = try context.key()
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("pseudonym.key").path))
        #expect(try context.ledger() === context.ledger())
        #expect(try context.key().fingerprint == key.fingerprint)
    }

    @Test func exitStatusesAreTheDocumentedOnes() {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 64])
    }
}
