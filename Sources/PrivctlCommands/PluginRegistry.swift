import ArgumentParser
import Foundation
import PrivctlKit

/// The commands of this run of privctl: the built-in plugins, then those the program added.
///
/// ``PrivctlMain/run(plugins:arguments:)`` registers both before it parses the command line;
/// the root command's subcommands are read from here.
public enum PluginRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var registered: [any PrivctlPlugin.Type] = []

    /// Adds plugins. A command name that is already taken is an error (a third-party plugin
    /// cannot silently replace `erase`).
    public static func register(_ plugins: [any PrivctlPlugin.Type]) throws {
        try lock.withLock {
            var names = Set(registered.map(name(of:)))
            for plugin in plugins {
                let name = name(of: plugin)
                guard names.insert(name).inserted else {
                    throw CommandFailure("two plugins are named \(name); each command name can be registered once")
                }
                registered.append(plugin)
            }
        }
    }

    /// The registered plugins, in registration order.
    public static var plugins: [any PrivctlPlugin.Type] { lock.withLock { registered } }

    /// The plugin named `name`, if registered.
    public static func plugin(named name: String) -> (any PrivctlPlugin.Type)? {
        plugins.first { self.name(of: $0) == name }
    }

    /// Whether `command` is a registered plugin or a subcommand of one (and not, say, the help
    /// that ArgumentParser answers `--help` with).
    public static func contains(_ command: any ParsableCommand.Type) -> Bool {
        var pending: [any ParsableCommand.Type] = plugins
        while let next = pending.popLast() {
            if ObjectIdentifier(next) == ObjectIdentifier(command) { return true }
            pending += next.configuration.subcommands
        }
        return false
    }

    /// The name a plugin is run by.
    public static func name(of plugin: any PrivctlPlugin.Type) -> String {
        plugin.configuration.commandName ?? plugin._commandName
    }

    /// The command as one JSON object: name, section, abstract (`privctl help --json`).
    static func json(of plugin: any PrivctlPlugin.Type) -> String {
        var line = JSONLine()
        line.add("name", name(of: plugin))
        line.add("section", plugin.section.title)
        line.add("abstract", plugin.configuration.abstract)
        return line.string
    }
}
