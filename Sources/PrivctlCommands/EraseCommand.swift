import ArgumentParser
import SubjectSearch
import FileSystem
import Foundation
import MailStores
import PrivacyEvents
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
              privctl erase --dry-run --subject alice@example.org ~/Maildir   what would happen, and why
              privctl erase --subject alice@example.org ~/Maildir > receipt.txt
              privctl expire ~/Maildir                                   (cron) erases blocked mail when its duty ends

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

    func validate() throws {
        _ = try subject.query()
        try options.validatePaths()
    }

    func run() throws {
        try options.execute(operation: .erase, subject: subject)
    }
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

    func validate() throws {
        _ = try subject.query()
        try options.validatePaths()
    }

    func run() throws {
        try options.execute(operation: .block, subject: subject)
    }
}

/// Options and the shared run of erase and block.
struct ErasureRunOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Maildirs, mbox files, message files, or directories of them.", valueName: "path"))
    var paths: [String]

    @Flag(help: "Show exactly what would be erased and blocked, with the reason for each; change and record nothing.")
    var dryRun = false

    @Flag(help: "Print the receipt as one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("Decide as of this day instead of today.", valueName: "YYYY-MM-DD"))
    var at: String?

    @Option(help: ArgumentHelp("Seconds to wait for a locked mbox before skipping it.", valueName: "seconds"))
    var lockTimeout: Double = 30

    @Flag(help: "Delete Dovecot header caches (dovecot.index.cache) that still hold the address; Dovecot rebuilds them.")
    var purgeCaches = false

    @OptionGroup var global: GlobalOptions

    func validatePaths() throws {
        if paths.isEmpty { throw ValidationError("name at least one path") }
        if let at, CalendarDay(iso: at) == nil { throw ValidationError("--at must be a day as YYYY-MM-DD, got '\(at)'") }
    }

    /// Whether the ledger holds an erasure request that this host has not carried out yet.
    func hasOutstandingRequests() throws -> Bool {
        let key = try global.loadKey()
        let ledger = try global.openLedger(key: key).ledger
        let host = global.environment.host
        do {
            let done = try ErasureRequests.results(in: ledger)
            return try ErasureRequests.all(in: ledger).contains { done[$0.id]?[host] == nil || done[$0.id]?[host] == .outstanding }
        } catch {
            throw CommandFailure("cannot read requests from the ledger: \(error)")
        }
    }

    func execute(operation: ErasureRun.Operation, subject: SubjectOptions?, applyRequests: Bool = false) throws {
        let scan: StoreScan
        do {
            scan = try MailStoreFormats.scan(paths)
        } catch {
            throw CommandFailure(error.description)
        }
        let containers = scan.containers
        let policy = try global.loadPolicy()
        let key = try global.loadKey()
        let opened = try global.openLedger(key: key)
        let ledger = opened.ledger
        defer { opened.finish(logger: global.makeLogger("privctl.ledger")) }
        let day = at.flatMap(CalendarDay.init(iso:)) ?? CalendarDay(Date())
        let holds: [LegalHold]
        do {
            holds = try LegalHold.active(in: ledger, on: day)
        } catch {
            throw CommandFailure("cannot read legal holds from the ledger: \(error)")
        }
        // One run per selection: the subject, or for expire the live stores and the blocked ones.
        var runs: [(ErasureRun.Selection, [MailContainer])] = []
        var requests: [ErasureRequest] = []
        if applyRequests {
            do {
                requests = try ErasureRequests.all(in: ledger)
            } catch {
                throw CommandFailure("cannot read requests from the ledger: \(error)")
            }
            runs.append((.requests(Set(requests.flatMap(\.subjects))), containers))
        } else if let subject {
            runs.append((.subject(try subject.query()), containers))
        } else {
            runs.append((.due, containers))
            let blocked: [MailContainer]
            do {
                blocked = try BlockedStores.containers(for: containers)
            } catch {
                throw CommandFailure("\(error)")
            }
            if !blocked.isEmpty {
                do {
                    runs.append((.blockEnded(try BlockedStores.blockEnds(in: ledger)), blocked))
                } catch {
                    throw CommandFailure("cannot read block events from the ledger: \(error)")
                }
            }
        }
        let subjects = try subject?.pseudonyms(key) ?? []
        let absolutePaths = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let progress = TerminalProgress()
        var receipt: ErasureReceipt?
        for (selection, targets) in runs {
            let erasure = ErasureRun(
                configuration: .init(
                    policy: policy, key: key, host: global.environment.host, operation: operation, selection: selection,
                    subjects: subjects, day: day, dryRun: dryRun, lockTimeout: lockTimeout, purgeCaches: purgeCaches,
                    recordedBlocks: applyRequests ? try PendingRequests.recordedBlocks(in: ledger) : [], limits: global.limits),
                ledger: dryRun ? nil : ledger, index: dryRun ? nil : opened.index, holds: holds,
                logger: global.makeLogger("privctl.\(operation.rawValue)"))
            do {
                let part = try erasure.run(containers: targets, paths: absolutePaths, problems: receipt == nil ? scan.problems : []) { n in
                    progress.update("\(formatCount(n)) messages searched")
                }
                receipt = receipt.map { $0.merged(with: part) } ?? part
            } catch {
                progress.finish()
                throw CommandFailure("\(error)")
            }
        }
        progress.finish()
        guard var receipt else { return }
        if operation == .erase, subject != nil, !dryRun, let id = receipt.requestId {
            // This host carried out its own request: on record for privctl request list.
            do {
                if let request = try ErasureRequests.all(in: ledger).first(where: { $0.id == id }) {
                    let event = ErasureRequests.carriedOutEvent(
                        request: request, result: ErasureRequests.result(of: request, in: receipt), paths: absolutePaths,
                        host: global.environment.host)
                    try ledger.append([event])
                    receipt.eventIds.append(event.id.rawValue)
                }
            } catch {
                throw CommandFailure("cannot record the request carried out: \(error)")
            }
        }
        if applyRequests && !dryRun {
            // Record what this host did about each request it had not yet carried out.
            do {
                let events = try ErasureRequests.carriedOutEvents(
                    for: requests, in: ledger, receipt: receipt, paths: absolutePaths, host: global.environment.host)
                try ledger.append(events)
                receipt.eventIds += events.map(\.id.rawValue)
            } catch {
                throw CommandFailure("cannot record the requests carried out: \(error)")
            }
        }
        let out = TextOutput.standardOutput
        out.write(json ? receipt.json() + "\n" : receipt.text())
        out.flush()
        // What failed or was skipped is on stderr too, not only in the receipt.
        for line in receipt.failed { warn("failed: " + line) }
        for line in receipt.skipped { warn("skipped: " + line) }
        if !receipt.failed.isEmpty { throw ExitCode(1) }
        if let verification = receipt.verification, !verification.passed { throw ExitCode(3) }
        if !receipt.skipped.isEmpty { throw ExitCode(4) }
    }
}
