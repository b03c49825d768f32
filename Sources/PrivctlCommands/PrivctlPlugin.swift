import ArgumentParser

/// A privctl subcommand, built in or from a third party: the one way commands join the suite.
///
/// A plugin is a `ParsableCommand` that says where `privctl help` lists it. Built-in commands
/// conform in `BuiltInPlugins.swift`; a Swift package that depends on privctl adds its own
/// and starts the suite with them:
///
/// ```swift
/// import ArgumentParser
/// import PrivctlCommands
///
/// struct Retention: PrivctlPlugin {
///     static let configuration = CommandConfiguration(commandName: "retention", abstract: "…")
///     static let section = PluginSection.extensions
///     func run() throws { … }
/// }
///
/// PrivctlMain.run(plugins: [Retention.self])
/// ```
///
/// A program in any language joins without Swift: an executable named `privctl-NAME` on
/// `PATH` runs as `privctl NAME` (see ``ExternalCommand``).
public protocol PrivctlPlugin: ParsableCommand {
    /// The section of `privctl help` that lists the command.
    static var section: PluginSection { get }
}

/// The sections of `privctl help`, in the order it prints them.
public enum PluginSection: CaseIterable, Sendable {
    case mail, backups, fleet, ledger, extensions

    /// The section's heading.
    public var title: String {
        switch self {
        case .mail: "Mail: what is held, and erasure"
        case .backups: "Backups and logs"
        case .fleet: "Data subjects: requests, reports, the fleet"
        case .ledger: "The ledger, the key and the policy"
        case .extensions: "Extensions"
        }
    }
}
