import ArgumentParser
import PrivctlKit

/// `privctl decide`: the event a retention period starts at.
struct DecideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Record the event a retention period starts at (the decision on an application).",
        discussion: """
            An application is kept three months after the decision on it (AGG §15(4)), not after \
            it arrived; until a decision is on record, the built-in policy keeps it and puts it up \
            for review after six months. Record the decision for the applicant (--subject) or \
            for single messages (--message-id); classify, expire and erase then count from its \
            day. EVENT is any NAME of a category's start: event:NAME in the policy.

              privctl decide application-decision --subject jana@gmx.de --day 2026-10-15
            """
    )

    @Argument(help: ArgumentHelp("The event, as the policy names it in start: event:NAME.", valueName: "event"))
    var event: String

    @OptionGroup var subject: SubjectOptions

    @Option(help: .day("The day it happened (default: today)."))
    var day: CalendarDay?

    @OptionGroup var reference: ReferenceOption

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try global.context()
        defer { context.finish() }
        let recorded = try StartEvents.record(
            event, for: try subject.selection(), day: day ?? context.day, reference: reference.reference, context: context)
        TextOutput.standardOutput.line(StartEvents.text(of: recorded, json: global.json))
        TextOutput.standardOutput.flush()
    }
}
