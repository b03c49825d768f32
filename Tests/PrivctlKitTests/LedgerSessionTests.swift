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
        let session = try LedgerSession(environment: environment(dir), key: key, creating: true, logger: .init(label: "t"))
        #expect(session.wasCreated)
        #expect(session.isLocalFile)
        #expect(session.stateDirectory.path == dir.url.path)
        for recording in [true, false] {
            #expect {
                try LedgerSession(environment: environment(dir), key: otherKey, recordingKey: recording, logger: .init(label: "t"))
            } throws: { error in
                (error as? PrivctlError)?.code == .keyMismatch && "\(error)".contains("privctl key export/import")
            }
        }
        let again = try LedgerSession(environment: environment(dir), key: key, logger: .init(label: "t"))
        #expect(again.description.hasSuffix("ledger.sqlite"))
        #expect(!again.wasCreated)
        // A reader without a key checks nothing against one.
        _ = try LedgerSession(environment: environment(dir), key: nil, recordingKey: false, logger: .init(label: "t"))
    }

    @Test func aMissingOrNeverSetUpLedgerIsRefusedAndNotCreated() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.url.appendingPathComponent("typo/ledger.sqlite").path
        for recording in [true, false] {
            #expect {
                try LedgerSession(environment: environment(dir, ledger: ledger), key: key, recordingKey: recording, logger: .init(label: "t"))
            } throws: { error in
                (error as? PrivctlError)?.code == .notFound && "\(error)".contains("privctl init")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("typo").path), "nothing was made")
        // A file that never recorded a key (made by something else, or an old reading run).
        let bare = dir.url.appendingPathComponent("bare.sqlite").path
        _ = try SQLiteLedger(url: URL(fileURLWithPath: bare))
        #expect {
            try LedgerSession(environment: environment(dir, ledger: bare), key: key, logger: .init(label: "t"))
        } throws: { error in
            "\(error)".contains("was never set up")
        }
        #expect(try LedgerSession.recordedKey(of: environment(dir, ledger: bare)) == nil)
        _ = try LedgerSession(environment: environment(dir, ledger: bare), key: key, creating: true, logger: .init(label: "t"))
        #expect(try LedgerSession.recordedKey(of: environment(dir, ledger: bare)) == key.fingerprint)
    }

    @Test func aSQLiteURLIsTheSameLedgerAsItsPath() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("ledger.sqlite").path
        let byPath = try LedgerSession(environment: environment(dir, ledger: path), key: key, creating: true, logger: .init(label: "t"))
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

    @Test func theContextLoadsOnFirstUseOnlyAndCreatesOnlyWhenAllowed() throws {
        let dir = try TemporaryDirectory()
        let context = PrivctlContext(environment: environment(dir), day: CalendarDay(iso: "2030-01-01"))
        #expect(context.day == CalendarDay(iso: "2030-01-01"))
        #expect(try context.policy().categories.count == RetentionPolicy.builtIn.categories.count)
        #expect(throws: PrivctlError.self) { try context.key() }
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("pseudonym.key").path))
        #expect(!context.isFirstInteractiveUse, "values given in code are configured ones")
        let result = try LedgerSetup.run(context: context)
        #expect(result.created.count == 2, "\(result.created)")
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("pseudonym.key").path))
        #expect(try context.ledger() === context.ledger())
        #expect(try context.key().fingerprint == result.fingerprint)
        let again = try LedgerSetup.run(context: PrivctlContext(environment: environment(dir)))
        #expect(again.created.isEmpty)
        #expect(again.text().hasPrefix("already set up"))
    }

    @Test func setUpOnASecondHostWantsTheFleetsKeyFirst() throws {
        let dir = try TemporaryDirectory()
        _ = try LedgerSetup.run(context: PrivctlContext(environment: environment(dir)))
        var second = environment(dir)
        second.keyURL = dir.url.appendingPathComponent("second/pseudonym.key")
        #expect {
            try LedgerSetup.run(context: PrivctlContext(environment: second))
        } throws: { error in
            (error as? PrivctlError)?.code == .keyMismatch && "\(error)".contains("privctl key export/import")
        }
        #expect(!FileManager.default.fileExists(atPath: second.keyURL.path), "no key of its own was made")
    }

    @Test func exitStatusesAreTheDocumentedOnes() {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 64])
    }
}
