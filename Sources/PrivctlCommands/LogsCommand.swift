import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl logs`: collect-side minimisation for mail and web server logs.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Anonymize mail and web server logs, and remove those past the log retention.",
        discussion: """
            Server logs name people: the IP addresses of every client, the mail addresses of \
            every sender and recipient, every login. privctl keeps what operations need (which \
            network, which provider, what happened) and takes the rest out:

              privctl logs anonymize /var/log/mail.log.1 /var/log/mail.log.*.gz
              privctl logs expire /var/log /var/log/nginx

            Both record an erase event per file in the ledger (data category server-log, \
            GDPR Art. 6(1)(f)). A logrotate postrotate script or a nightly cron job is the place \
            for them.
            """,
        subcommands: [LogsAnonymizeCommand.self, LogsExpireCommand.self]
    )
}

/// `privctl logs anonymize`.
struct LogsAnonymizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anonymize",
        abstract: "Truncate IP addresses and replace mail addresses and logins in server logs.",
        discussion: """
            Reads Postfix and Dovecot syslog lines, Apache and nginx access logs (common, \
            combined, vhost_combined) and error logs, and any other text log, plain or gzip. \
            Every byte stays except these.

            IP addresses are truncated: 78.46.198.123 becomes 78.46.198.0 (--ipv4-prefix 24) \
            or 78.46.198.XXX (--ipv4-style mask); 2a02:8108:1234:5600::1 becomes \
            2a02:8108:1234:: (--ipv6-prefix 48). ::ffff:1.2.3.4 counts as IPv4; ports, \
            brackets and zone ids stay, and so do loopback addresses. Versions (Dovecot \
            v2.3.19.1, 1.2.3.4.5), times and status codes are not addresses.

            Mail addresses (also in <...> and percent-encoded in URLs) and login names \
            (sasl_username=, user=<...>, Dovecot's imap(anna), the user of a web log line) \
            become [address] (--address-token). from=<> and message-id=<...> stay.

            In place (the default) the log is rewritten atomically: a temporary file beside it \
            (same owner, mode and modification time; gzip stays gzip), flushed, read back and \
            compared line by line with the original (same number of lines, every line unchanged \
            or changed only in address and IP spans), then renamed over it. A log still being \
            written (its size changes while privctl reads it) is left as it is: anonymize \
            rotated logs. Lines that are not text (NUL bytes) or longer than 1 MiB are left as \
            they are and counted; no line is ever dropped. A second run changes nothing.

            Examples:
              privctl logs anonymize --dry-run /var/log/mail.log.1
              privctl logs anonymize /var/log/mail.log.1 /var/log/mail.log.*.gz
              privctl logs anonymize --ipv4-style mask --ipv6-prefix 56 access.log.1
              privctl logs anonymize --output /srv/stats/access.log.gz access.log.1
              privctl logs anonymize --output - mail.log.2.gz | grep reject

            In logrotate (with delaycompress, .1 is the file just rotated):
              postrotate
                  privctl logs anonymize /var/log/mail.log.1
              endscript

            Each log anonymized in place is an erase event in the ledger, with the numbers of \
            addresses, logins and IP addresses removed. --output and --dry-run record nothing \
            (the original still holds the data).

            Exit status: 0 done; 1 some file could not be anonymized (each named on stderr; \
            every other file was done); 64 a usage error.
            """
    )

    @Argument(help: ArgumentHelp("Log files, plain or .gz.", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("IPv4 bits to keep, 0-32.", valueName: "bits"))
    var ipv4Prefix = 24

    @Option(help: ArgumentHelp("How removed IPv4 bits are written: zero (78.46.198.0) or mask (78.46.198.XXX, whole octets).", valueName: "zero|mask"))
    var ipv4Style: AnonymizationOptions.IPv4Style = .zero

    @Option(help: ArgumentHelp("IPv6 bits to keep, 0-128.", valueName: "bits"))
    var ipv6Prefix = 48

    @Option(help: ArgumentHelp("What replaces mail addresses and login names.", valueName: "text"))
    var addressToken = "[address]"

    @Option(help: ArgumentHelp("Write the anonymized log here instead of replacing it (gzip when the name ends in .gz; - for standard output); one PATH only.", valueName: "file"))
    var output: String?

    @OptionGroup var dryRun: DryRunOption

    @OptionGroup var global: GlobalOptions

    var options: AnonymizationOptions {
        AnonymizationOptions(ipv4Prefix: ipv4Prefix, ipv4Style: ipv4Style, ipv6Prefix: ipv6Prefix, addressToken: addressToken)
    }

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one log file") }
        if let problem = options.problem { throw ValidationError(problem) }
        if output != nil && paths.count > 1 { throw ValidationError("--output takes one log file; name one PATH") }
        if output != nil && dryRun.enabled { throw ValidationError("--dry-run writes nothing; leave out --output") }
        if output == "" { throw ValidationError("--output needs a file name, or - for standard output") }
    }

    func run() throws {
        let destination: LogFileAnonymizer.Destination =
            dryRun.enabled ? .dryRun : output == "-" ? .standardOutput : output.map { .file($0) } ?? .inPlace
        let run = LogAnonymizationRun(paths: paths, destination: destination, options: options)
        try run.check()  // every path must be a log file before anything changes
        // The report goes to stderr when the log itself goes to stdout.
        let out = destination == .standardOutput ? TextOutput.standardError : TextOutput.standardOutput
        let context = try global.context()
        defer { context.finish() }
        let ledger = run.records ? try context.ledger().ledger : nil
        let progress = TerminalProgress()
        let summary = run.run(ledger: ledger, host: context.host, progress: { path, read in
            progress.update("\(path): \(formatBytes(read)) read")
        }) { outcome in
            progress.finish()
            switch outcome {
            case .failed(let path, let error):
                if global.json { out.line(LogAnonymizationRun.failedJSON(path: path, error: error)) }
                reportError("\(error)")
            case .done(let report, let eventID, let recordFailure):
                out.line(global.json ? run.json(report, eventID: eventID) : report.text(run.action(report)))
                if !global.json, let unparsed = report.unparsedText(maxLineLength: options.maxLineLength) { out.line(unparsed) }
                if let recordFailure { reportError(recordFailure, flushing: out) }
            }
        }
        summarize(summary.text(files: paths.count, destination: destination))
        if summary.failed > 0 { throw ExitCode(.failure) }
    }
}

/// `privctl logs expire`.
struct LogsExpireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire",
        abstract: "Remove rotated log files past the log retention (default 7 days).",
        discussion: """
            Removes only regular files named like rotated logs: *.log.N, *.log.N.gz, \
            *.log-YYYYMMDD[.gz], syslog.N[.gz], mail.err.N and the like, names with a date \
            (app-2026-11-20.log), and compressed logs (error.log.gz). Never the log being \
            written (mail.log, syslog, access.log), never anything else, never through a \
            symbolic link, and never below the directories named (name /var/log/nginx to \
            include it).

            A file's age counts from the later of its modification time and the date in its \
            name (access.log-20261120.gz holds data up to the end of 2026-11-20): a log is \
            removed when both say its newest line is older than --days.

            Each removed file is an erase event in the ledger (data category server-log, \
            GDPR Art. 6(1)(f)), with its size and when it was last written.

            Examples:
              privctl logs expire --dry-run /var/log /var/log/nginx
              privctl logs expire --days 14 /var/log/nginx

            In a crontab:
              17 4 * * * privctl logs expire --json /var/log >> /root/logs-expire.jsonl

            Exit status: 0 done; 1 a path is missing or not a log, or some file could not be \
            removed (each named on stderr); 64 a usage error.
            """
    )

    @Argument(help: ArgumentHelp("Log directories (their files, not their subdirectories) or rotated log files.", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Keep logs this many days after their newest line (default: 7).", valueName: "n"))
    var days = LogExpiry.defaultDays

    @OptionGroup var dryRun: DryRunOption

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one log directory or file") }
        if days < 0 { throw ValidationError("--days must be 0 or more, got \(days)") }
    }

    func run() throws {
        let run = try LogExpiryRun(paths: paths, days: days, dryRun: dryRun.enabled)
        let context = try global.context()
        defer { context.finish() }
        let ledger = run.records ? try context.ledger().ledger : nil
        let out = TextOutput.standardOutput
        let summary = run.run(ledger: ledger, host: context.host) { outcome in
            switch outcome {
            case .kept(let log):
                if global.json { out.line(log.json(action: "kept", reason: log.reason, eventID: nil)) }
            case .wouldRemove(let log):
                out.line(global.json ? log.json(action: "would-remove", reason: log.reason, eventID: nil) : log.text(verb: "would remove"))
            case .failed(let log, let error):
                if global.json { out.line(log.json(action: "failed", reason: error.problem, eventID: nil)) }
                reportError("\(error)", flushing: out)
            case .removed(let log, let eventID, let recordFailure):
                if let recordFailure { reportError(recordFailure, flushing: out) }
                out.line(global.json ? log.json(action: "removed", reason: log.reason, eventID: eventID) : log.text(verb: "removed"))
            }
        }
        if global.json { run.currentLogsJSON.forEach(out.line) }
        summarize(summary.text(run))
        if summary.failed > 0 { throw ExitCode(.failure) }
    }
}
