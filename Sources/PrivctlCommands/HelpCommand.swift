import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl help [COMMAND…]`: the whole suite, built-in and external, or one command's help.
struct HelpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "help",
        abstract: "List every command, built in or found on PATH (privctl-NAME), or show one command's help.",
        discussion: """
            Examples:
              privctl help                   every command, by section, and external ones
              privctl help erase             the same as privctl erase --help
              privctl help ledger verify
            """
    )

    @Argument(help: ArgumentHelp("A command, and subcommands of it.", valueName: "command"))
    var names: [String] = []

    @OptionGroup var output: OutputOptions

    func run() throws {
        let out = TextOutput.standardOutput
        defer { out.flush() }
        guard let first = names.first else {
            // With --json: one object per built-in command (name, section, abstract).
            out.write(output.json ? PluginRegistry.plugins.map { PluginRegistry.json(of: $0) + "\n" }.joined() : overview())
            return
        }
        if let plugin = PluginRegistry.plugin(named: first) {
            var command: any ParsableCommand.Type = plugin
            for name in names.dropFirst() {
                guard let sub = command.configuration.subcommands.first(where: { $0._commandName == name }) else {
                    throw CommandFailure("privctl \(names.joined(separator: " ")): \(command._commandName) has no subcommand \(name); see privctl help \(first)")
                }
                command = sub
            }
            out.write(Privctl.helpMessage(for: command) + "\n")
        } else if let external = ExternalCommand.find(first) {
            out.line("privctl \(first) is an external command: \(external.path)")
            out.line("Its own help: privctl \(first) --help")
        } else {
            throw CommandFailure("'\(first)' is not a privctl command, and no privctl-\(first) is on PATH; see privctl help")
        }
    }

    /// Every section with its commands, then the external commands.
    func overview() -> String {
        var text = "privctl \(PrivctlVersion.current): make a mail operator's privacy promises true and provable.\n\n"
        text += "Usage: privctl COMMAND [OPTIONS] [ARGUMENTS]; privctl help COMMAND for one command.\n"
        let plugins = PluginRegistry.plugins
        let width = max(12, (plugins.map { PluginRegistry.name(of: $0).count } + ExternalCommand.all().map(\.name.count)).max() ?? 0) + 2
        func row(_ name: String, _ abstract: String) -> String {
            "  " + name + String(repeating: " ", count: max(1, width - name.count)) + abstract + "\n"
        }
        for section in PluginSection.allCases {
            let members = plugins.filter { $0.section == section }
            guard !members.isEmpty else { continue }
            text += "\n\(section.title):\n"
            for plugin in members { text += row(PluginRegistry.name(of: plugin), plugin.configuration.abstract) }
        }
        let externals = ExternalCommand.all().filter { PluginRegistry.plugin(named: $0.name) == nil }
        text += "\nExternal commands (privctl-NAME on PATH):\n"
        if externals.isEmpty {
            text += "  none found; any executable named privctl-NAME on PATH runs as privctl NAME\n"
        } else {
            for external in externals { text += row(external.name, external.path) }
        }
        return text
    }
}
