import ArgumentParser
import FileSystem
import Foundation
import PrivctlKit

/// The entry point: parses the command line, runs the command, and turns failures into one
/// line on stderr and the documented exit status.
public enum PrivctlMain {
    /// Registers the built-in plugins and `plugins` (see ``PrivctlPlugin``), runs an external
    /// `privctl-NAME` when the first argument names no registered command (``ExternalCommand``),
    /// else parses the command line and runs the command.
    public static func run(
        plugins: [any PrivctlPlugin.Type] = [], arguments: [String] = Array(CommandLine.arguments.dropFirst())
    ) -> Never {
        // Every file privctl creates is its own unless it says otherwise (ledgers, spools,
        // keys, blocked stores); rewritten mailboxes and archives get their original's mode.
        umask(0o077)
        FileSystem.raiseDescriptorLimit()
        do {
            try PluginRegistry.register(BuiltInPlugins.all + plugins)
            if let first = arguments.first, !first.hasPrefix("-"), PluginRegistry.plugin(named: first) == nil {
                guard let external = ExternalCommand.find(first) else {
                    TextOutput.standardError.line(
                        "privctl: error: '\(first)' is not a privctl command, and no privctl-\(first) is on PATH; see privctl help")
                    TextOutput.standardError.flush()
                    exit(64)
                }
                try external.exec(arguments: Array(arguments.dropFirst()), environment: PrivctlEnvironment.resolve())
            }
            var command = try Privctl.parseAsRoot(arguments)
            try command.run()
            TextOutput.standardOutput.flush()
            exit(0)
        } catch let failure as CommandFailure {
            TextOutput.standardOutput.flush()
            TextOutput.standardError.line("privctl: error: " + failure.description)
            TextOutput.standardError.flush()
            exit(1)
        } catch {
            TextOutput.standardOutput.flush()
            Privctl.exit(withError: error)
        }
    }
}
