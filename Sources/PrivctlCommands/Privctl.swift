import ArgumentParser

/// The `privctl` command: the root of the suite.
public struct Privctl: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "privctl",
        abstract: "Make a mail operator's privacy promises true and provable.",
        discussion: """
            privctl classifies mail by retention category, knows what is past its retention \
            period, and records every collect, transfer, retain, erase and block event in an \
            append-only, hash-chained ledger that names people only by keyed pseudonyms.

            Start with:
              privctl classify ~/Maildir                     what do we hold, and what is due?
              privctl inspect MESSAGE.eml --explain          why is this message in its category?
              privctl erase --dry-run --subject ADDR PATH    what would a deletion request remove?
              privctl scrub --all /srv/backups               (cron) keep the promise in backups
              privctl ledger verify                          has anyone changed the record?

            Exit status: 0 success; 1 an error (bad input, a path that is not mail, a policy \
            with a mistake, a ledger that cannot be written), named on stderr; 2 `ledger verify` \
            found the ledger changed; 3 the verification after an erasure found a difference; \
            4 mailboxes locked by another program were skipped; 64 a usage error.
            """,
        version: PrivctlVersion.current,
        subcommands: [
            ClassifyCommand.self, InspectCommand.self, EraseCommand.self, BlockCommand.self, UnblockCommand.self,
            ExpireCommand.self, ScrubCommand.self, HoldCommand.self, RequestCommand.self, ApplyCommand.self, LedgerCommand.self,
            PolicyCommand.self, LogsCommand.self, KeyCommand.self,
        ]
    )

    public init() {}
}

/// The version printed by `privctl --version`.
public enum PrivctlVersion {
    public static let current = "0.1.0"
}
