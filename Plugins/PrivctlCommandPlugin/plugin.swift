import Foundation
import PackagePlugin

/// `swift package privctl …`: runs the privctl tool built from this package, so a Swift package
/// that depends on privctl can classify its fixtures, check a policy or verify a ledger from its
/// own build, the same way the command line does.
@main
struct PrivctlCommandPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "privctl")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            Diagnostics.error("privctl \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus)")
            return
        }
    }
}
