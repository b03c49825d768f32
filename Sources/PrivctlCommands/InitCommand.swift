import ArgumentParser
import PrivctlKit

/// `privctl init`: set up the ledger and the key.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create this host's ledger and pseudonym key: the one step that creates them.",
        discussion: """
            Every other command refuses a ledger or key that is not there (a typo in --ledger, \
            a cron job that does not see the configuration), instead of starting an empty one. \
            Only a first classify or inspect at a terminal, with nothing configured, sets them up \
            by itself. With a fleet's ledger (postgres://), init sets up its tables and records \
            the key's fingerprint; run it on the first host, and import that key elsewhere first \
            (privctl key export/import). Running init again changes nothing.

              privctl init
              privctl init --ledger /var/lib/privctl/ledger.sqlite \\
                  --key /etc/privctl/pseudonym.key
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try global.context()
        defer { context.finish() }
        let result = try LedgerSetup.run(context: context)
        TextOutput.standardOutput.write(global.json ? result.json() + "\n" : result.text())
        TextOutput.standardOutput.flush()
    }
}
