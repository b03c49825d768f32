import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl policy`: see and check retention policies.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Show the retention policy in effect, or check a policy file.",
        discussion: """
            To write your own policy, start from the built-in one:
              privctl policy show --built-in > ~/.config/privctl/policy.yaml
              privctl policy check ~/.config/privctl/policy.yaml
            privctl uses ~/.config/privctl/policy.yaml when it exists, or the file named by \
            --policy or $PRIVCTL_POLICY. A changed policy applies to all mail on the next run.
            """,
        subcommands: [PolicyShowCommand.self, PolicyCheckCommand.self]
    )
}

/// `privctl policy show`.
struct PolicyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the policy in effect (its YAML source).")

    @Flag(help: "Print the built-in policy even when a policy file is configured.")
    var builtIn = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let text = try global.context().policySource(builtIn: builtIn)
        if global.json {
            var line = JSONLine()
            line.add("yaml", text)
            TextOutput.standardOutput.line(line.string)
        } else {
            TextOutput.standardOutput.write(text.hasSuffix("\n") ? text : text + "\n")
        }
        TextOutput.standardOutput.flush()
    }
}

/// `privctl policy check FILE`.
struct PolicyCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a policy file; print each category's period, or the first mistake as FILE:LINE: problem.")

    @Argument(help: ArgumentHelp("The policy file.", valueName: "file"))
    var file: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        let policy = try RetentionPolicy(contentsOf: URL(fileURLWithPath: file))
        TextOutput.standardOutput.write(output.json ? policy.json(file: file) + "\n" : policy.checkText(file: file))
        TextOutput.standardOutput.flush()
    }
}
