import ArgumentParser
import PrivctlKit

/// `privctl expire`: the nightly job that keeps the deletion concept.
struct ExpireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire",
        abstract: "Erase what the policy says is due, and blocked mail whose legal duty has ended (for cron).",
        discussion: """
            Erases (1) live messages past their retention period whose category says erase at \
            the end (review categories are only listed by classify --due), and (2) blocked \
            messages in the blocked store beside each mailbox whose block event's day has passed. \
            A legal hold keeps what it covers. Every erasure is an erase event; the run is \
            verified like privctl erase. Erasure requests on record that this host has not \
            carried out yet are carried out first, as privctl apply does (its receipt is printed \
            first).

            Example crontab line:
              17 3 * * * privctl expire -q --metrics /var/lib/prom/expire.prom /var/mail

            Exit status as for privctl erase.
            """
    )

    @OptionGroup var options: ErasureRunOptions

    func run() throws { try options.run(.expire) }
}
