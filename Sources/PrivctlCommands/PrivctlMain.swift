import ArgumentParser
import Foundation
import PrivctlKit

/// The entry point: parses the command line, runs the command, and turns failures into one
/// line on stderr and the documented exit status (``ExitStatus``).
public enum PrivctlMain {
    /// Registers the built-in plugins and `plugins` (see ``PrivctlPlugin``), runs an external
    /// `privctl-NAME` when the first argument names no registered command (``ExternalCommand``),
    /// else parses the command line and runs the command.
    public static func run(
        plugins: [any PrivctlPlugin.Type] = [], arguments: [String] = Array(CommandLine.arguments.dropFirst())
    ) -> Never {
        PrivctlContext.prepareProcess()
        do {
            try PluginRegistry.register(BuiltInPlugins.all + plugins)
            if let first = arguments.first, !first.hasPrefix("-"), PluginRegistry.plugin(named: first) == nil {
                guard let external = ExternalCommand.find(first) else {
                    fail("'\(first)' is not a privctl command, and no privctl-\(first) is on PATH; see privctl help", .usage)
                }
                try external.exec(arguments: Array(arguments.dropFirst()), environment: try PrivctlEnvironment.resolve())
            }
        } catch {
            fail("\(error)", .failure)
        }
        var command: any ParsableCommand
        do { command = try Privctl.parseAsRoot(arguments) } catch { Privctl.exit(withError: error) }
        do {
            try command.run()
            TextOutput.standardOutput.flush()
            exit(ExitStatus.success.rawValue)
        } catch {
            // ArgumentParser's own outcomes (help, usage errors, exit codes) are its to print;
            // everything else a command of the suite throws is one line, exit status 1 (4 when
            // another run held the lock and this one did nothing).
            guard error is ExitCode || error is CleanExit || error is ValidationError
                || !PluginRegistry.contains(type(of: command))
            else { fail("\(error)", ExitStatus(failure: error)) }
            TextOutput.standardOutput.flush()
            Privctl.exit(withError: error)
        }
    }

    private static func fail(_ message: String, _ status: ExitStatus) -> Never {
        reportError(message)
        exit(status.rawValue)
    }
}
