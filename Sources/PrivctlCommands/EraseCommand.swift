import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl erase`: carry out an erasure request (GDPR Art. 17) across live mail.
struct EraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a person's mail, blocking what a legal duty still requires to keep.",
        discussion: """
            Finds every message in which the person occurs (From, Sender, Reply-To, To, Cc, Bcc, \
            Delivered-To, Return-Path, any other header, and the decoded text of every text part, \
            base64 and quoted-printable included). For each, the policy decides on the day of the \
            run: a message whose category still carries a legal retention duty (an invoice, a \
            business letter) is blocked — moved out of the mailbox into .privctl-blocked beside \
            it, mode 0700, with a block event saying until when — and every other message is \
            erased (overwritten, then removed; mbox files are rewritten without it). A legal hold \
            (privctl hold) keeps what it covers.

            Workflow:
              privctl erase --dry-run --subject alice@example.org ~/Maildir
                  (what would happen, and why)
              privctl erase --subject alice@example.org ~/Maildir > receipt.txt
              privctl expire ~/Maildir
                  (cron: erases blocked mail when its duty ends)

            The request stays in the ledger, so later runs and restored backups can apply it \
            again. After acting, privctl reads every touched mailbox again: nothing of the person \
            may remain except what is blocked or held, every other message must be unchanged, and \
            the blocked store must hold exactly what was blocked.

            The receipt (text, or one JSON object with --json) lists per message the path, the \
            action, the category, retainUntil, the reason, the legal basis and the SHA-256, the \
            verification and the ledger event ids. It names the person only by pseudonym.

            Exit status: 0 done and verified; 1 an error (nothing further changed); 3 verification \
            found a difference; 4 some mailboxes were locked by another program and skipped \
            (unchanged; run again).
            """
    )

    @OptionGroup var subject: SubjectOptions
    @OptionGroup var options: ErasureRunOptions

    func validate() throws { _ = try subject.selection() }

    func run() throws { try options.run(.erase(try subject.selection())) }
}

/// `privctl block`: restrict processing (GDPR Art. 18) without erasing.
struct BlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Block (restrict) a person's mail without erasing it; privctl unblock returns it.",
        discussion: """
            For a person who contests accuracy or objects (GDPR Art. 18(1)): every message found \
            (as privctl erase finds them) moves into the blocked store beside the mailbox, where \
            mail clients do not see it, with a block event. privctl unblock moves it back, byte \
            for byte. Exit status as for privctl erase.
            """
    )

    @OptionGroup var subject: SubjectOptions
    @OptionGroup var options: ErasureRunOptions

    func validate() throws { _ = try subject.selection() }

    func run() throws { try options.run(.block(try subject.selection())) }
}

/// Options and the shared run of erase, block, expire and apply.
struct ErasureRunOptions: ParsableArguments {
    @OptionGroup var mail: MailPaths

    @OptionGroup var dryRun: DryRunOption

    @OptionGroup var day: DayOption

    @OptionGroup var lock: LockTimeoutOption

    @Flag(help: "Delete Dovecot header caches (dovecot.index.cache) that still hold the address; Dovecot rebuilds them.")
    var purgeCaches = false

    @OptionGroup var salvage: SalvageOption

    @OptionGroup var reference: ReferenceOption

    @OptionGroup var global: GlobalOptions

    var job: ErasureJob {
        ErasureJob(paths: mail.paths, dryRun: dryRun.enabled, lockTimeout: lock.lockTimeout, purgeCaches: purgeCaches, reference: reference.reference)
    }

    @Option(help: ArgumentHelp("Write metrics for node_exporter's textfile collector to this file (not on a dry run).", valueName: "file"))
    var metrics: String?

    /// Runs `work` and prints its receipt; the exit status follows the receipt. A run that
    /// stopped early (locked, no ledger) is on the dashboard too.
    func run(_ work: ErasureJob.Work) throws {
        do { try run(work, started: Date()) } catch {
            if let metrics, !dryRun.enabled, !(error is ExitCode) { try? RunMetrics.stopped(command: work.commandName).write(to: metrics) }
            throw error
        }
    }

    private func run(_ work: ErasureJob.Work, started: Date) throws {
        let context = try global.context(day: day.at, salvage: salvage.salvage, allowEmpty: mail.empty.allowEmpty)
        defer { context.finish() }
        var steps = [work]
        if case .expire = work, try job.hasOutstandingRequests(context: context) {
            // Requests this host has not carried out yet come first, as `privctl apply` would.
            steps.insert(.apply, at: 0)
        }
        var all: ErasureReceipt?
        for step in steps {
            let receipt = try withProgress { progress in
                try job.run(step, context: context) { n in progress.update("\(formatCount(n)) messages searched") }
            }
            guard let receipt else { continue }
            receipt.print(json: global.json)
            all = all.map { $0.merged(with: receipt) } ?? receipt
        }
        guard let all else { return }
        if let metrics, !dryRun.enabled {
            try RunMetrics(command: work.commandName, receipt: all, seconds: Date().timeIntervalSince(started)).write(to: metrics)
        }
        try all.exitStatus.exitUnlessSuccess()
    }
}
