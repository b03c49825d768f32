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
                  privctl init                          create the ledger and the key, once
                  privctl classify ~/Maildir            what do we hold, and what is due?
                  privctl inspect --explain MSG.eml     why is it in its category?
                  privctl erase --dry-run --subject ADDR PATH
                                                        what would a deletion request remove?
                  privctl scrub --all /srv/backups      (cron) keep the promise in backups
                  privctl ledger verify                 has anyone changed the record?
                  privctl config show                   which ledger, key and policy, and why
                  privctl help                          every command, privctl-NAME ones too

                Exit status: 0 success; 1 an error (bad input, a path that is not mail, a policy \
                with a mistake, a ledger that cannot be written), named on stderr; 2 `ledger verify` \
                found the ledger changed; 3 the verification after an erasure found a difference; \
                4 locked: another privctl run on this ledger held the lock past --lock-timeout (nothing \
                done), or mailboxes locked by another program were skipped; 5 `request list` found a \
                request overdue; 64 a usage error.
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
