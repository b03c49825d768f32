import Foundation
import TestSupport
import Testing

/// `privctl config show` and configuration files, through the built binary.
@Suite struct ConfigCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    @Test func aSystemFileSetsTheLedgerAndConfigShowSaysSo() throws {
        let box = try Sandbox(setUp: false)
        let state = box.dir.url.appendingPathComponent("var").path
        let conf = try box.dir.write("etc/privctl.conf", "# fleet\nledger = \(state)/ledger.sqlite\nkey = \(state)/pseudonym.key\n")
        let environment = ["PRIVCTL_CONFIG": conf.path]
        #expect(try box.run(["init"], environment: environment).status == 0)
        #expect(FileManager.default.fileExists(atPath: state + "/ledger.sqlite"))

        let shown = try box.run(["config", "show"], environment: environment)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("ledger     \(state)/ledger.sqlite"))
        #expect(shown.stdout.contains("from \(conf.path) line 2"))
        #expect(shown.stdout.contains("configuration file \(conf.path): read"))
        let json = try box.run(["config", "show", "--json"], environment: environment.merging(["PRIVCTL_HOST": "mx9"]) { $1 })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["host"] as? [String: Any])?["from"] as? String == "from $PRIVCTL_HOST")
        #expect((object["key"] as? [String: Any])?["value"] as? String == state + "/pseudonym.key")

        // The ledger the file names is the one classify records in.
        let maildir = try box.makeMaildir()
        let classify = try box.run(["classify", "--quiet", maildir], environment: environment)
        #expect(classify.status == 0, "\(classify.stderr)")
        #expect(try box.run(["ledger", "verify", "--json"], environment: environment).stdout.contains("\"events\":6"))
    }

    @Test func aTypoInTheFileStopsEveryCommandNamingTheLine() throws {
        let box = try Sandbox()
        let conf = try box.dir.write("etc/privctl.conf", "ledger = /var/lib/privctl/ledger.sqlite\nleger = /tmp/x\n")
        let maildir = try box.makeMaildir()
        for arguments in [["classify", maildir], ["config", "show"], ["ledger", "verify"]] {
            let result = try box.run(arguments, environment: ["PRIVCTL_CONFIG": conf.path])
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr == "privctl: error: \(conf.path): line 2: unknown setting `leger` (known: ledger, key, policy, host, state-dir)\n")
            #expect(result.stdout.isEmpty)
        }
    }

    /// Every event names its host and its chain is found by that name: a control character in
    /// it (a NUL ends the name in SQLite) is refused wherever the name comes from.
    @Test func aHostNameWithAControlCharacterIsRefused() throws {
        let box = try Sandbox()
        let conf = try box.dir.write("etc/privctl.conf", "host = mx\u{0}1\n")
        let fromFile = try box.run(["config", "show"], environment: ["PRIVCTL_CONFIG": conf.path, "PRIVCTL_HOST": ""])
        #expect(fromFile.status == 1)
        #expect(fromFile.stderr == "privctl: error: \(conf.path): line 1: the host name mx\\u{0}1 has a control character: name the host in printable text\n")
        let fromVariable = try box.run(["ledger", "verify"], environment: ["PRIVCTL_HOST": "mx\t1"])
        #expect(fromVariable.status == 1)
        #expect(fromVariable.stderr.hasPrefix("privctl: error: $PRIVCTL_HOST: the host name mx"))
        #expect(try box.run(["config", "show"], environment: ["PRIVCTL_HOST": "mx-1.example.org"]).status == 0)
    }

    @Test func aConfigurationFileNamedInTheEnvironmentMustExist() throws {
        let box = try Sandbox()
        let missing = try box.run(["config", "show"], environment: ["PRIVCTL_CONFIG": "/etc/privctl/privtcl.conf"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "privctl: error: /etc/privctl/privtcl.conf: no configuration file (from $PRIVCTL_CONFIG)\n")
        #expect(try box.run(["config", "show"], environment: ["PRIVCTL_CONFIG": "etc/privctl.conf"]).status == 1)
    }
}
