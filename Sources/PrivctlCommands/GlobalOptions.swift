import ArgumentParser
import Foundation
import PrivctlKit

/// Options every command that touches state shares: where the ledger, key and policy are,
/// which host this is, and how talkative to be.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The ledger: a SQLite file, or postgres://USER@HOST:PORT/DB for a fleet's shared ledger (default: $PRIVCTL_LEDGER, else ~/.local/share/privctl/ledger.sqlite).",
        valueName: "path-or-url"))
    var ledger: String?

    @Option(help: ArgumentHelp(
        "The pseudonym key file, created on first use (default: $PRIVCTL_KEY, else ~/.local/share/privctl/pseudonym.key).",
        valueName: "path"))
    var key: String?

    @Option(help: ArgumentHelp(
        "The retention policy (default: $PRIVCTL_POLICY, else ~/.config/privctl/policy.yaml if present, else the built-in policy; see `privctl policy show`).",
        valueName: "file"))
    var policy: String?

    @Option(help: ArgumentHelp("This host's name in ledger events (default: $PRIVCTL_HOST, else the host name).", valueName: "name"))
    var host: String?

    @Flag(name: .shortAndLong, help: "Log what privctl does (debug level) on stderr.")
    var verbose = false

    @OptionGroup var output: OutputOptions

    /// `--json`.
    var json: Bool { output.json }

    @Option(help: ArgumentHelp("The largest message read into memory; a larger one is reported and not read (default 100000000).", valueName: "bytes"))
    var maxMessageSize: Int = 100_000_000

    /// The resolved locations.
    var environment: PrivctlEnvironment {
        get throws { try PrivctlEnvironment.resolve(ledger: ledger, key: key, policy: policy, host: host) }
    }

    /// The context of this run, deciding as of `day` (default today); `salvage` rebuilds damaged
    /// archives instead of refusing them.
    func context(day: CalendarDay? = nil, salvage: Bool = false, allowEmpty: Bool = false) throws -> PrivctlContext {
        let context = PrivctlContext(
            environment: try environment, day: day, verbose: verbose, maxMessageSize: maxMessageSize, salvage: salvage, warn: warn)
        context.allowEmpty = allowEmpty
        return context
    }
}

/// `--json` and `--quiet`, on every command.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the data as JSON on stdout: one object per line (the command's description says which keys); summaries stay on stderr.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print no summary and no progress: only the data, warnings and errors.")
    var quiet = false

    func validate() throws {
        TextOutput.quiet = quiet
    }
}

/// `--salvage` for the commands that rewrite backup archives.
struct SalvageOption: ParsableArguments {
    @Flag(help: "Rebuild a damaged archive (bad CRC, truncated) without its damaged members, naming each in the receipt, instead of leaving it untouched and failing.")
    var salvage = false
}

/// `--reference` for the commands that record a request or a decision: the operator's own.
struct ReferenceOption: ParsableArguments {
    @Option(help: ArgumentHelp("Your reference, kept in the ledger (a ticket number; one line, no personal data).", valueName: "text"))
    var reference: String?
}

/// `--dry-run` for the commands that change mail, archives, logs or the ledger.
struct DryRunOption: ParsableArguments {
    @Flag(name: .customLong("dry-run"), help: "Show what would change, and why; change and record nothing.")
    var enabled = false
}

/// `--lock-timeout` for the commands that record: how long to wait for a locked mbox, and for
/// another privctl run on this ledger (then exit status 4, nothing done).
struct LockTimeoutOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Seconds to wait for a locked mbox, or for another privctl run on this ledger, before giving up (exit 4).",
        valueName: "seconds"))
    var lockTimeout: Double = 30

    func validate() throws { if !(lockTimeout >= 0 && lockTimeout.isFinite) { throw ValidationError("--lock-timeout must be 0 or more seconds") } }
}

/// `--at` for the commands that decide as of a day.
struct DayOption: ParsableArguments {
    @Option(help: .day("Decide as of this day instead of today."))
    var at: CalendarDay?
}

/// The mail a command reads: classify, erase, block, expire, apply.
struct MailPaths: ParsableArguments {
    @Argument(help: ArgumentHelp("Maildirs, mbox files, message files, or directories of them.", valueName: "path"))
    var paths: [String]

    @OptionGroup var empty: AllowEmptyOption

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name at least one path") }
    }
}

/// `--allow-empty` for the commands that read mail or archives under paths they are given.
struct AllowEmptyOption: ParsableArguments {
    @Flag(help: "Accept a path that holds no mail or no archive (else an error: an unmounted disk, a typo).")
    var allowEmpty = false
}

extension CalendarDay: ExpressibleByArgument {
    /// `YYYY-MM-DD`.
    public init?(argument: String) { self.init(iso: argument) }
}

extension ArgumentHelp {
    /// Help for an option that takes a day, shown as `<YYYY-MM-DD>`.
    static func day(_ abstract: String) -> ArgumentHelp { ArgumentHelp(abstract, valueName: "YYYY-MM-DD") }
}

extension EventKind: ExpressibleByArgument {}
extension AnonymizationOptions.IPv4Style: ExpressibleByArgument {}

/// A failure to report in one line on stderr, with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ExitCode {
    /// The exit code of a documented status.
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}

extension ExitStatus {
    /// Ends the command with this status unless it is success.
    func exitUnlessSuccess() throws {
        if self != .success { throw ExitCode(self) }
    }
}
