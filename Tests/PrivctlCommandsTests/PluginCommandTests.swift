import ArgumentParser
import Foundation
import PrivctlCommands
import TestSupport
import Testing

/// The suite grows without changing its core: Swift plugins through ``PluginRegistry``, programs
/// in any language as `privctl-NAME` on PATH.
@Suite struct PluginCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    /// A third party's command, registered the way the built-in ones are.
    struct Greet: PrivctlPlugin {
        static let configuration = CommandConfiguration(commandName: "greet", abstract: "Say hello.")
        static let section = PluginSection.extensions
        @Option var name: String
        func run() throws {}
    }

    @Test func aSwiftPluginJoinsTheRootCommandAndNamesAreUnique() throws {
        try PluginRegistry.register(BuiltInPlugins.all + [Greet.self])
        #expect(PluginRegistry.plugin(named: "greet") != nil)
        #expect(PluginRegistry.plugin(named: "erase") != nil)
        #expect(Privctl.configuration.subcommands.contains { $0 == Greet.self })
        let parsed = try Privctl.parseAsRoot(["greet", "--name", "Alice"])
        #expect((parsed as? Greet)?.name == "Alice")
        // A second `erase` (or greet) cannot replace the first.
        #expect(throws: (any Error).self) { try PluginRegistry.register([Greet.self]) }
        #expect(PluginRegistry.plugins.count == BuiltInPlugins.all.count + 1)
    }

    /// An external command written here, as an operator would write one.
    func writeExternal(_ box: Sandbox, name: String, script: String) throws -> String {
        try box.dir.write("bin/privctl-\(name)", "#!/bin/sh\n" + script)
        let bin = box.dir.url.appendingPathComponent("bin")
        chmod(bin.appendingPathComponent("privctl-\(name)").path, 0o755)
        return bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }

    @Test func anExternalCommandRunsWithTheResolvedLocationsAndItsOwnExitStatus() throws {
        let box = try Sandbox()
        let path = try writeExternal(box, name: "retention-report", script: """
            printf 'args:%s|' "$@"
            printf 'ledger:%s|key:%s|policy:%s|host:%s\\n' "$PRIVCTL_LEDGER" "$PRIVCTL_KEY" "${PRIVCTL_POLICY-unset}" "$PRIVCTL_HOST"
            "$PRIVCTL" ledger verify --json >/dev/null && echo callback-ok
            exit 7
            """)
        let ledger = box.dir.url.appendingPathComponent("fleet.sqlite").path
        #expect(try box.run(["init"], environment: ["PRIVCTL_LEDGER": ledger]).status == 0)
        let result = try box.run(["retention-report", "--since", "2026-01-01", "two words"],
                                 environment: ["PATH": path, "PRIVCTL_LEDGER": ledger, "PRIVCTL_HOST": "mx7"])
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stdout.contains("args:--since|args:2026-01-01|args:two words|"))
        #expect(result.stdout.contains("ledger:\(ledger)|"))
        #expect(result.stdout.contains("key:\(box.dir.url.path)/.local/share/privctl/pseudonym.key|"))
        #expect(result.stdout.contains("policy:unset|host:mx7"))
        #expect(result.stdout.contains("callback-ok"), "the external command can call privctl back: \(result.stdout)")

        // privctl help lists built-in and external commands; help NAME knows it is external.
        let help = try box.run(["help"], environment: ["PATH": path])
        #expect(help.status == 0)
        #expect(help.stdout.contains("  erase "))
        #expect(help.stdout.contains("  ledger "))
        #expect(help.stdout.contains("External commands"))
        #expect(help.stdout.contains("retention-report"))
        #expect(try box.run(["help", "retention-report"], environment: ["PATH": path]).stdout.contains("external command"))
        let one = try box.run(["help", "ledger", "verify"])
        #expect(one.status == 0 && one.stdout.contains("Re-compute every hash chain"))
    }

    @Test func builtInsWinAndUnknownNamesAreUsageErrors() throws {
        let box = try Sandbox()
        let path = try writeExternal(box, name: "classify", script: "echo impostor\n")
        let maildir = try box.makeMaildir()
        let builtIn = try box.run(["classify", "--no-record", maildir], environment: ["PATH": path])
        #expect(builtIn.status == 0)
        #expect(!builtIn.stdout.contains("impostor"))

        let unknown = try box.run(["retention-report"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no privctl-retention-report is on PATH"))
        // A name is never a path.
        let traversal = try box.run(["../bin/privctl-classify"], environment: ["PATH": path])
        #expect(traversal.status == 64)
        #expect(!traversal.stdout.contains("impostor"))
    }

    /// Every command's discussion, its subcommands' included.
    static func discussions(_ command: any ParsableCommand.Type, path: String) -> [(String, String)] {
        [(path, command.configuration.discussion)] + command.configuration.subcommands.flatMap {
            discussions($0, path: path + " " + ($0.configuration.commandName ?? ""))
        }
    }

    /// Help examples (indented lines: command lines, crontab lines) are never wrapped inside a
    /// line on an 80-column terminal: ArgumentParser indents the discussion by 2 columns.
    /// (A crontab line cannot be continued with a backslash, so it must fit whole.)
    @Test func helpExamplesFitEightyColumns() throws {
        var long: [String] = []
        let commands: [any ParsableCommand.Type] = [Privctl.self] + BuiltInPlugins.all.map { $0 }
        for plugin in commands {
            for (path, text) in Self.discussions(plugin, path: plugin.configuration.commandName ?? "") {
                for line in text.split(separator: "\n") where line.hasPrefix("  ") && line.count + 2 > 80 {
                    long.append("\(path): \(line)")
                }
            }
        }
        #expect(long.isEmpty, "\(long.joined(separator: "\n"))")
    }
}
