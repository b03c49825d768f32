import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl classify`: what do we hold, in which retention category, and what is past its
/// retention period?
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify mail by retention category and record collect and retain events.",
        discussion: """
            Reads every message under the given paths (Maildir with its Maildir++ folders, mbox \
            files, .eml files, or directories holding any of these), puts each into a retention \
            category of the policy, and prints a table per category: messages, size, the \
            oldest message, and how many are past their retention period (on stdout; with \
            --due, --explain or --json the per-message lines are the output and the table \
            goes to stderr). How many messages were read and what was recorded goes to stderr.

            The ledger gets a collect event when a message is first seen, a retain event then \
            and when its category or dates change, an erase event once it is gone. Unchanged \
            messages are not parsed again: a nightly run over an unchanged store reads only \
            directory listings (mbox files are re-read and hashed, not parsed).

            Examples:
              privctl classify ~/Maildir
              privctl classify --due /var/mail/anna            what may or must go now?
              privctl classify --json ~/Maildir |
                jq -r 'select(.category=="spam") | .path'
              privctl classify --at 2030-01-01 --due ~/Maildir  what will be due then?

            With --json, each line is an object with the keys path (the message file; \
            MBOX#N for the N-th message of an mbox, from 0), messageId, category, retainUntil \
            (last day a legal duty requires keeping it, or null), expiresOn (first day the \
            policy says to erase or review it, or null), rule, subjects (pseudonyms), and also \
            container (the Maildir folder or mbox file), messageDay, size and due.

            Messages that cannot be parsed are reported on stderr, counted, and classified \
            "unclassified" for review; they never stop the run.
            """
    )

    @OptionGroup var mail: MailPaths

    @Flag(help: "List only messages past their retention period (on --at, default today).")
    var due = false

    @OptionGroup var day: DayOption

    @Flag(help: "Show for each message every rule that matched and why the one that decided won.")
    var explain = false

    @Flag(help: "Record nothing: no ledger events, no scan index (every message is parsed).")
    var noRecord = false

    @OptionGroup var lock: LockTimeoutOption

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try global.context(day: day.at, allowEmpty: mail.empty.allowEmpty)
        defer { context.finish() }
        context.mayCreateState = context.isFirstInteractiveUse  // else `privctl init` first
        let day = context.day
        let out = TextOutput.standardOutput
        let summary = try withProgress(flushing: out) { progress in
            try ClassifyJob(
                paths: mail.paths, explain: explain, record: !noRecord, lockTimeout: lock.lockTimeout,
                eachMessage: global.json || due || explain).run(
                context: context,
                onMessage: { message in
                    let isDue = message.isDue(on: day)
                    if due && !isDue { return }
                    if global.json {
                        out.line(message.json(due: isDue, explanation: explain))
                    } else if due || explain {
                        out.line(textLine(message, due: isDue))
                        if explain { for line in message.explanation { out.line("    " + line) } }
                    }
                },
                onUnreadable: { problem in
                    progress.finish()
                    warn(problem.description)
                },
                onProgress: { p in
                    progress.update("\(formatCount(p.messages)) messages, \(formatBytes(p.bytes))  \(p.container)")
                })
        }
        // The table is the result of a plain classify; beside per-message lines it is a summary.
        let table = summary.table(day: day)
        if global.json || due || explain { summarize(table) } else { out.write(table) }
        out.flush()
        summarize(summary.text(recorded: !noRecord))
        for thing in context.created { summarize("created " + thing) }
        // What could not be read was named on stderr; the run did not cover everything.
        if summary.notRead > 0 { throw ExitCode(.failure) }
    }

    private func textLine(_ m: ClassifiedMessage, due isDue: Bool) -> String {
        let when = m.expiresOn.map { (isDue ? "due since " : "until ") + $0.description } ?? "kept"
        return "\(m.category)  \(when)  \(escapingControls(m.path))"
    }
}
