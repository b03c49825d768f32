/// The commands privctl ships, registered like any third-party plugin.
public enum BuiltInPlugins {
    /// In the order `privctl --help` lists them.
    public static let all: [any PrivctlPlugin.Type] = [
        InitCommand.self, ClassifyCommand.self, InspectCommand.self, EraseCommand.self, BlockCommand.self, UnblockCommand.self,
        ExpireCommand.self, HoldCommand.self, DecideCommand.self, ScrubCommand.self, LogsCommand.self, RequestCommand.self,
        ApplyCommand.self, ReportCommand.self, LedgerCommand.self, KeyCommand.self, PolicyCommand.self, ConfigCommand.self,
        HelpCommand.self,
    ]
}

extension InitCommand: PrivctlPlugin { static let section = PluginSection.ledger }
extension ClassifyCommand: PrivctlPlugin { static let section = PluginSection.mail }
extension InspectCommand: PrivctlPlugin { static let section = PluginSection.mail }
extension EraseCommand: PrivctlPlugin { static let section = PluginSection.mail }
extension BlockCommand: PrivctlPlugin { static let section = PluginSection.mail }
extension UnblockCommand: PrivctlPlugin { static let section = PluginSection.mail }
extension ExpireCommand: PrivctlPlugin { static let section = PluginSection.mail }
extension HoldCommand: PrivctlPlugin { static let section = PluginSection.mail }
extension DecideCommand: PrivctlPlugin { static let section = PluginSection.mail }
extension ScrubCommand: PrivctlPlugin { static let section = PluginSection.backups }
extension LogsCommand: PrivctlPlugin { static let section = PluginSection.backups }
extension RequestCommand: PrivctlPlugin { static let section = PluginSection.fleet }
extension ApplyCommand: PrivctlPlugin { static let section = PluginSection.fleet }
extension LedgerCommand: PrivctlPlugin { static let section = PluginSection.ledger }
extension KeyCommand: PrivctlPlugin { static let section = PluginSection.ledger }
extension PolicyCommand: PrivctlPlugin { static let section = PluginSection.ledger }
extension ConfigCommand: PrivctlPlugin { static let section = PluginSection.ledger }
extension HelpCommand: PrivctlPlugin { static let section = PluginSection.ledger }
extension ReportCommand: PrivctlPlugin { static let section = PluginSection.fleet }
