import Foundation
@testable import PostgresLedger
import PrivacyEvents
import SQLiteLedger
import TestSupport
import Testing

/// `--ledger` / `PRIVCTL_LEDGER`: a SQLite path or a URL whose scheme picks the backend. (No
/// server needed.)
@Suite struct LedgerLocationTests {
    @Test func pathsAreSQLite() throws {
        for path in ["/var/lib/privctl/ledger.sqlite", "ledger.sqlite", "./with:colon"] {
            let location = try LedgerLocation(parsing: path)
            #expect(location.scheme == nil && location.remainder == path)
            #expect(try ledgerBackends.backend(for: location) is SQLiteLedgerBackend)
        }
        let url = try LedgerLocation(parsing: "sqlite:///var/lib/privctl/ledger.sqlite")
        #expect(try ledgerBackends.backend(for: url) is SQLiteLedgerBackend)
        #expect(url.remainder == "/var/lib/privctl/ledger.sqlite")
    }

    @Test func backendsAreChosenByScheme() throws {
        #expect(try ledgerBackends.backend(for: LedgerLocation(parsing: "postgres://mx1@h/privctl")) is PostgresLedgerBackend)
        #expect(try ledgerBackends.backend(for: LedgerLocation(parsing: "PostgreSQL://mx1@h/privctl")) is PostgresLedgerBackend)
        // A scheme or the plain paths can be claimed once.
        #expect(throws: LedgerLocationError.self) { try LedgerBackends([PostgresLedgerBackend(), PostgresLedgerBackend()]) }
        #expect(throws: LedgerLocationError.self) { try LedgerBackends([SQLiteLedgerBackend(), SQLiteLedgerBackend()]) }
        // Without a backend for paths, a path names nothing.
        let fleetOnly = try LedgerBackends([PostgresLedgerBackend()])
        #expect(throws: LedgerLocationError.self) { try fleetOnly.backend(for: LedgerLocation(parsing: "ledger.sqlite")) }
    }

    @Test func aSQLiteURLOpensTheFileItNames() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url.appendingPathComponent("ledger.sqlite").path
        let opened = try ledgerBackends.open(LedgerLocation(parsing: "sqlite://" + path))
        #expect(opened.localFile?.path == path)
        #expect(try opened.metadata.metaValue("k", recordingIfAbsent: "first") == "first")
        #expect(try opened.metadata.metaValue("k", recordingIfAbsent: "second") == "first")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func postgresURLs() throws {
        let url = try PostgresURL(parsing: "postgres://mx1@ledger.example.org/privctl")
        #expect(url == PostgresURL(user: "mx1", host: "ledger.example.org", database: "privctl"))
        #expect(url.port == 5432)
        #expect(url.password == nil)

        let full = try PostgresURL(parsing: "postgresql://mx%401:p%3Ass@w%2Frd@10.0.0.5:5433/fleet%20db?sslmode=require&connect_timeout=3")
        #expect(full.user == "mx@1")
        #expect(full.password == "p:ss@w/rd")
        #expect(full.host == "10.0.0.5")
        #expect(full.port == 5433)
        #expect(full.database == "fleet db")
        #expect(full.tls == .require)
        #expect(full.connectTimeout == 3)
        #expect(full.description == "postgres://mx%401:***@10.0.0.5:5433/fleet%20db?sslmode=require&connect_timeout=3")
        #expect(!full.description.contains("p:ss"))

        let v6 = try PostgresURL(parsing: "postgres://mx1@[2001:db8::5]:6432/privctl")
        #expect(v6.host == "2001:db8::5")
        #expect(v6.port == 6432)
        #expect(v6.description == "postgres://mx1@[2001:db8::5]:6432/privctl")

        let socket = try PostgresURL(parsing: "postgres://mx1@/privctl?host=/var/run/postgresql")
        #expect(socket.socketDirectory == "/var/run/postgresql")
        #expect(socket.socketPath == "/var/run/postgresql/.s.PGSQL.5432")
        let socketPort = try PostgresURL(parsing: "postgres://mx1@:5433/privctl?host=/tmp/")
        #expect(socketPort.socketPath == "/tmp/.s.PGSQL.5433")
    }

    @Test(arguments: [
        ("postgres://ledger.example.org/privctl", "no user name"),
        ("postgres://mx1@ledger.example.org", "no database name"),
        ("postgres://mx1@ledger.example.org/", "no database name"),
        ("postgres://mx1@/privctl", "no host"),
        ("postgres://mx1@ledger.example.org:99999/privctl", "port \"99999\""),
        ("postgres://mx1@ledger.example.org:x/privctl", "port \"x\""),
        ("postgres://mx1@[::1/privctl", "unclosed ["),
        ("postgres://mx1@h/privctl?sslmode=verify-ca", "sslmode=verify-ca"),
        ("postgres://mx1@h/privctl?timeout=3", "unknown parameter timeout"),
        ("postgres://mx1@h/privctl?host=relative", "absolute socket directory"),
        ("postgres://mx1:se%ZZcret@h/privctl", "percent-encoding"),
        ("mysql://mx1@h/privctl", "unsupported scheme mysql://"),
        ("", "empty"),
    ])
    func malformedValuesGiveOneClearLine(_ value: String, _ expected: String) {
        #expect {
            let location = try LedgerLocation(parsing: value)
            if try ledgerBackends.backend(for: location) is PostgresLedgerBackend { _ = try PostgresURL(parsing: value) }
        } throws: { error in
            let text = "\(error)"
            return text.contains(expected) && !text.contains("\n")
        }
    }

    @Test func errorsNeverShowThePassword() {
        #expect {
            try PostgresURL(parsing: "postgres://mx1:topsecret@h:0/privctl")
        } throws: { error in
            !"\(error)".contains("topsecret") && "\(error)".contains("mx1:***@")
        }
    }

    @Test func optionThenEnvironmentThenDefault() throws {
        let env = ["PRIVCTL_LEDGER": "postgres://mx1@h/privctl"]
        #expect(try LedgerLocation.resolve(option: "/a.sqlite", environment: env, defaultPath: "/d.sqlite").value == "/a.sqlite")
        #expect(try LedgerLocation.resolve(option: nil, environment: env, defaultPath: "/d.sqlite").scheme == "postgres")
        #expect(try LedgerLocation.resolve(option: nil, environment: [:], defaultPath: "/d.sqlite").value == "/d.sqlite")
        #expect(try LedgerLocation.resolve(option: nil, environment: ["PRIVCTL_LEDGER": ""], defaultPath: "/d.sqlite").value == "/d.sqlite")
    }
}
