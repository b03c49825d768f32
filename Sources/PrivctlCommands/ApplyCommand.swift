import ArgumentParser
import PrivctlKit

/// `privctl apply`: carry out the ledger's erasure requests on this host's paths.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Carry out every erasure request on record on this host's mail and backups.",
        discussion: """
            Finds the mail of everyone with an erasure request on record (by pseudonym: every \
            address in a message is hashed with the fleet's key and looked up) under the given \
            paths, live stores and backup archives alike, and erases or blocks it exactly as \
            privctl erase would, with a receipt and the same verification. Each request this host \
            had not yet carried out gets a record with its result (done, blocked in part, failed), \
            which privctl request list shows per host. Safe to run again: what is gone is not \
            found again; a host that joins later or a restored backup gets every request on its \
            first run.

              privctl apply /var/mail /home/*/Maildir /srv/backups

            Exit status as for privctl erase.
            """
    )

    @OptionGroup var options: ErasureRunOptions

    func run() throws { try options.run(.apply) }
}
