import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl report --subject ADDRESS PATH…`: the access report of GDPR Art. 15.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the access report a person is owed (GDPR Art. 15): what is held, why, for how long, who received it.",
        discussion: """
            Searches the stores named now, as privctl erase --dry-run would (changing nothing), \
            and reads everything the ledger records about the person's pseudonym on every host: \
            categories of data held with their purposes, legal bases and retention periods, the \
            sources (where the person appears), the recipients (transfer events), and what was \
            erased, blocked or requested and when. The report names the stores it searched.

            Examples:
              privctl report --subject alice@example.org ~/Maildir > alice.md
              privctl report --subject alice@example.org --format html \\
                  /var/mail /srv/backups > alice.html
              privctl report --subject alice@example.org --json ~/Maildir | jq .held
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, html, json
    }

    @OptionGroup var subject: SubjectOptions

    @Option(help: ArgumentHelp("markdown (default), html or json (the same as --json).", valueName: "format"))
    var format: Format = .markdown

    @OptionGroup var day: DayOption

    @Argument(help: ArgumentHelp("Mail stores and backup archives to search (none: the ledger only).", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if subject.addresses.isEmpty { throw ValidationError("name the person with --subject ADDRESS") }
    }

    func run() throws {
        let context = try global.context(day: day.at)
        let report = try AccessReport.make(for: try subject.selection(), paths: paths, context: context)
        let label = subject.addresses.joined(separator: ", ")
        let out = TextOutput.standardOutput
        switch global.json ? .json : format {
        case .markdown: out.write(report.markdown(subjectLabel: label))
        case .html: out.write(report.html(subjectLabel: label))
        case .json: out.write(report.json(subjectLabel: label) + "\n")
        }
        out.flush()
        if !report.notSearched.isEmpty {
            warn("the report is incomplete: \(counted(report.notSearched.count, "place")) could not be searched (listed in it)")
            throw ExitCode(.failure)
        }
    }
}
