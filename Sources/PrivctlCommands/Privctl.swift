import ArgumentParser

/// The `privctl` command: the root of the suite.
public struct Privctl: ParsableCommand {
    /// Computed: the subcommands are the plugins registered in ``PluginRegistry``.
    public static var configuration: CommandConfiguration {
            CommandConfiguration(
            commandName: "privctl",
            abstract: "Make a mail operator's privacy promises true and provable.",
            discussion: """
                privctl classifies mail by retention category, knows what is past its retention \
                period, and records every collect, transfer, retain, erase and block event in an \
                append-only, hash-chained ledger that names people only by keyed pseudonyms.

                Start with:
                  privctl init                                   create the ledger and the key, once
                  privctl classify ~/Maildir                     what do we hold, and what is due?
                  privctl inspect MESSAGE.eml --explain          why is this message in its category?
                  privctl erase --dry-run --subject ADDR PATH    what would a deletion request remove?
                  privctl scrub --all /srv/backups               (cron) keep the promise in backups
                  privctl ledger verify                          has anyone changed the record?
                  privctl help                                   every command, also privctl-NAME ones on PATH

                Exit status: 0 success; 1 an error (bad input, a path that is not mail, a policy \
                with a mistake, a ledger that cannot be written), named on stderr; 2 `ledger verify` \
                found the ledger changed; 3 the verification after an erasure found a difference; \
                4 mailboxes locked by another program were skipped; 5 `request list` found a request \
                overdue; 64 a usage error.
                """,
            version: PrivctlVersion.current,
            subcommands: PluginRegistry.plugins
        )
    }

    public init() {}
}

/// The version printed by `privctl --version`.
public enum PrivctlVersion {
    public static let current = "0.1.0"
}
