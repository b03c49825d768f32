import FileSystem
import Foundation
import PrivctlKit
import TestSupport
import Testing

/// The configuration files: their format, the refusals, and the order settings win in.
@Suite struct ConfigurationFileTests {
    @Test func parsesSettingsCommentsAndQuotes() throws {
        let file = try ConfigurationFile.parse(
            """
            # the fleet
            ledger = postgres://privctl@db.example.net/privctl

            key=/etc/privctl/pseudonym.key
              policy = "/etc/privctl/my policy.yaml"
            host = mx1
            state-dir = /var/lib/privctl\r
            """, path: "/etc/privctl/privctl.conf")
        #expect(file.values[.ledger]?.value == "postgres://privctl@db.example.net/privctl")
        #expect(file.values[.ledger]?.line == 2)
        #expect(file.values[.key]?.value == "/etc/privctl/pseudonym.key")
        #expect(file.values[.policy]?.value == "/etc/privctl/my policy.yaml")
        #expect(file.values[.host]?.value == "mx1")
        #expect(file.values[.stateDirectory]?.value == "/var/lib/privctl")
    }

    @Test func linesMayEndWithCRLF() throws {
        let file = try ConfigurationFile.parse("# settings\r\nledger = /srv/l.sqlite\r\nhost = mx1\r\n", path: "/c")
        #expect(file.values[.ledger]?.value == "/srv/l.sqlite")
        #expect(file.values[.host]?.line == 3)
        #expect(throws: PrivctlError.self) { try ConfigurationFile.parse("ledger = /a\r\nbogus = 1\r\n", path: "/c") }
    }

    @Test func aFileInADirectoryOthersMayWriteIsRefused() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("open/privctl.conf", "host = mx1\n")
        chmod(path.deletingLastPathComponent().path, 0o777)
        #expect {
            try ConfigurationFile.load(path: path.path)
        } throws: { error in
            (error as? PrivctlError)?.problem.contains("others may write the directory") == true
        }
        chmod(path.deletingLastPathComponent().path, 0o1777)  // sticky, as /tmp: only the owner renames
        #expect(try ConfigurationFile.load(path: path.path)?.values[.host]?.value == "mx1")
        let link = dir.url.appendingPathComponent("link.conf").path
        #expect(symlink(path.path, link) == 0)
        #expect {
            try ConfigurationFile.load(path: link)
        } throws: { error in
            (error as? PrivctlError)?.problem.contains("is a symbolic link") == true
        }
    }

    @Test(arguments: [
        ("leger = /x", "line 1: unknown setting `leger` (known: ledger, key, policy, host, state-dir)"),
        ("ledger /x", "line 1: expected `name = value`"),
        ("key = x.key", "line 1: `key` must be an absolute path"),
        ("host = a\nhost = b", "line 2: `host` is set twice (first on line 1)"),
        ("policy = \"/a", "line 1: the value of `policy` has no closing quote"),
        ("ledger =", "line 1: `ledger` has no value"),
    ])
    func refusesWhatIsNotASetting(text: String, problem: String) throws {
        #expect {
            try ConfigurationFile.parse(text, path: "/etc/privctl/privctl.conf")
        } throws: { error in
            let error = error as? PrivctlError
            return error?.code == .invalidInput && error?.path == "/etc/privctl/privctl.conf"
                && error?.problem.hasPrefix(problem) == true
        }
    }

    @Test func aFileOthersMayWriteIsRefusedAndAMissingOneIsNone() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("privctl.conf", "host = mx1\n")
        chmod(path.path, 0o664)
        #expect {
            try ConfigurationFile.load(path: path.path)
        } throws: { error in
            (error as? PrivctlError)?.code == .notOwnStore && "\(error)".contains("chmod go-w")
        }
        chmod(path.path, 0o644)
        #expect(try ConfigurationFile.load(path: path.path)?.values[.host]?.value == "mx1")
        #expect(try ConfigurationFile.load(path: dir.url.appendingPathComponent("none/privctl.conf").path) == nil)
    }

    @Test func optionsWinOverTheEnvironmentOverTheUsersFileOverTheSystemsOverDefaults() throws {
        let dir = try TemporaryDirectory()
        let system = try dir.write(
            "etc/privctl.conf", "ledger = /srv/system.sqlite\nkey = /srv/system.key\nhost = system-host\npolicy = /srv/p.yaml\n")
        try dir.write("home/.config/privctl/config", "ledger = /srv/user.sqlite\nkey = /srv/user.key\n")
        let base = ["HOME": dir.url.appendingPathComponent("home").path, "PRIVCTL_CONFIG": system.path]

        let files = try PrivctlEnvironment.resolve(environment: base)
        #expect(files.ledger == "/srv/user.sqlite")
        #expect(files.ledgerOrigin == .file(dir.url.appendingPathComponent("home/.config/privctl/config").path, line: 1))
        #expect(files.keyURL.path == "/srv/user.key")
        #expect(files.host == "system-host")
        #expect(files.hostOrigin == .file(system.path, line: 3))
        #expect(files.policyURL?.path == "/srv/p.yaml")
        #expect(files.stateDirectoryOrigin == .defaultValue)
        #expect(files.configurationFiles.map(\.exists) == [true, true])

        var environment = base
        environment["PRIVCTL_LEDGER"] = "/srv/env.sqlite"
        let fromEnvironment = try PrivctlEnvironment.resolve(environment: environment)
        #expect(fromEnvironment.ledger == "/srv/env.sqlite")
        #expect(fromEnvironment.ledgerOrigin == .environment("PRIVCTL_LEDGER"))
        let fromOption = try PrivctlEnvironment.resolve(ledger: "/srv/option.sqlite", environment: environment)
        #expect(fromOption.ledgerOrigin == .option("--ledger"))

        environment["PRIVCTL_CONFIG"] = "none"
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("home/.config/privctl/config"))
        let defaults = try PrivctlEnvironment.resolve(environment: environment)
        #expect(defaults.keyOrigin == .defaultValue)
        #expect(defaults.keyURL.path.hasSuffix("home/.local/share/privctl/pseudonym.key"))
        #expect(defaults.configurationFiles.count == 1)
    }
}
