import PrivacyEvents
import Testing

/// `--ledger` / `PRIVCTL_LEDGER`: a SQLite path or a postgres:// URL. (No server needed.)
@Suite struct LedgerLocationTests {
    @Test func pathsAreSQLite() throws {
        #expect(try LedgerLocation(parsing: "/var/lib/privctl/ledger.sqlite") == .sqlite(path: "/var/lib/privctl/ledger.sqlite"))
        #expect(try LedgerLocation(parsing: "ledger.sqlite") == .sqlite(path: "ledger.sqlite"))
        #expect(try LedgerLocation(parsing: "./with:colon") == .sqlite(path: "./with:colon"))
    }

    @Test func postgresURLs() throws {
        guard case .postgres(let url) = try LedgerLocation(parsing: "postgres://mx1@ledger.example.org/privctl") else {
            Issue.record("not postgres")
            return
        }
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
            try LedgerLocation(parsing: value)
        } throws: { error in
            let text = "\(error)"
            return text.contains(expected) && !text.contains("\n")
        }
    }

    @Test func errorsNeverShowThePassword() {
        #expect {
            try LedgerLocation(parsing: "postgres://mx1:topsecret@h:0/privctl")
        } throws: { error in
            !"\(error)".contains("topsecret") && "\(error)".contains("mx1:***@")
        }
    }

    @Test func optionThenEnvironmentThenDefault() throws {
        let env = ["PRIVCTL_LEDGER": "postgres://mx1@h/privctl"]
        #expect(try LedgerLocation.resolve(option: "/a.sqlite", environment: env, defaultPath: "/d.sqlite") == .sqlite(path: "/a.sqlite"))
        #expect(try LedgerLocation.resolve(option: nil, environment: env, defaultPath: "/d.sqlite").isPostgres)
        #expect(try LedgerLocation.resolve(option: nil, environment: [:], defaultPath: "/d.sqlite") == .sqlite(path: "/d.sqlite"))
        #expect(try LedgerLocation.resolve(option: nil, environment: ["PRIVCTL_LEDGER": ""], defaultPath: "/d.sqlite") == .sqlite(path: "/d.sqlite"))
    }
}
