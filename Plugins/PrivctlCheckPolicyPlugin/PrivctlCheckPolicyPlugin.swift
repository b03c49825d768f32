import Foundation
import PackagePlugin

/// `swift package privctl-check-policy [FILE…]`: validates retention policy files in CI with
/// `privctl policy check`, so a typo in a policy fails the build of the package that keeps it
/// instead of the nightly run that reads it.
///
/// Without arguments it checks every `*.privctl-policy.yaml` and `privctl-policy.yaml` in the
/// package (outside `.build`). Reads files only; needs no permissions.
@main
struct PrivctlCheckPolicyPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let tool = try context.tool(named: "privctl")
        var files = arguments
        if files.isEmpty {
            files = Self.policyFiles(under: context.package.directoryURL)
            guard !files.isEmpty else {
                Diagnostics.error("no policy files: name them, or call them privctl-policy.yaml or NAME.privctl-policy.yaml")
                return
            }
        }
        var failed = 0
        for file in files {
            let process = Process()
            process.executableURL = tool.url
            process.arguments = ["policy", "check", file]
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                failed += 1
                Diagnostics.error("\(file): the policy has a mistake (see privctl's message above)")
            }
        }
        if failed == 0 { print("privctl-check-policy: \(files.count) policy file(s) valid") }
    }

    static func policyFiles(under root: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let url as URL in walker {
            if url.lastPathComponent == ".build" || url.lastPathComponent == ".git" {
                walker.skipDescendants()
                continue
            }
            let name = url.lastPathComponent
            if name == "privctl-policy.yaml" || name.hasSuffix(".privctl-policy.yaml") { found.append(url.path) }
        }
        return found.sorted()
    }
}
