import ArgumentParser
import Foundation

/// The entry point: parses the command line, runs the command, and turns failures into one
/// line on stderr and the documented exit status.
public enum PrivctlMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        do {
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
