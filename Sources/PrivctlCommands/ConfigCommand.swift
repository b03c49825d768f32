import ArgumentParser
import PrivctlKit

/// `privctl config show`: the settings in effect and where each came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the ledger, key, policy, host and state folder in effect, and where each came from.",
        discussion: """
            Each setting comes from the first of: its option (--ledger), its environment \
            variable (PRIVCTL_LEDGER), the user's file ~/.config/privctl/config, the system's \
            file /etc/privctl/privctl.conf (or the file PRIVCTL_CONFIG names; none for none), \
            the default. A file holds `name = value` lines (ledger, key, policy, host, state-dir) \
            and # comments; a typo in it stops every command with the file and line named.

              privctl config show
              sudo privctl config show --json
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
