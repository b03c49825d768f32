import ArgumentParser
import PrivctlKit

/// `privctl config show`: the settings in effect and where each came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the ledger, key, policy, host and state folder in effect, and where each came from.",
        discussion: """
            Each setting comes from its option, else its variable (PRIVCTL_LEDGER), else \
            ~/.config/privctl/config, else /etc/privctl/privctl.conf ($PRIVCTL_CONFIG), else the \
            default. A file holds name = value lines (ledger, key, policy, host, state-dir).
            """,
        subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the settings in effect and where each came from.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let environment = try global.environment
            TextOutput.standardOutput.write(global.json ? environment.settingsJSON() + "\n" : environment.settingsText())
            TextOutput.standardOutput.flush()
        }
    }
}
