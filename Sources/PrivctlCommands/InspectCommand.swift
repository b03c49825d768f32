import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl inspect`: how privctl reads a message, and (with --explain) why it lands in its
/// category.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show how privctl reads messages: headers, addresses, date, MIME tree, category.",
        discussion: """
            Use it to understand a decision: privctl inspect --explain shows the rule that put \
            the message into its category and the evidence it found. An mbox file shows each of \
            its messages; name one with FILE#N (N from 0), and a message inside a backup archive \
            as receipts print it, ARCHIVE!MEMBER (ARCHIVE!MBOX#N for an mbox member).

            With --json, one object per message with the keys path, messageId, date (ISO 8601, UTC), \
            from, to, cc, replyTo (lists of {name, address}), subject (decoded) and parts (leaf \
            MIME parts as {contentType, filename, size}, size after transfer decoding); with \
            --explain also category, rule and explanation.

            Inspect reads only; it records nothing.
            """
    )

    @Argument(help: ArgumentHelp("Message files, mbox files, MBOX#N, or ARCHIVE!MEMBER[#N].", valueName: "file"))
    var files: [String]

    @Flag(help: "Classify the message and show which rule decided and why.")
    var explain = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let out = TextOutput.standardOutput
        var failures = 0
        try MessageInspection.inspect(files, explain: explain, context: global.context()) { outcome in
            switch outcome {
            case .inspected(let message):
                if global.json { out.line(message.json()) } else { out.write(message.text()) }
            case .failed(let problem):
                warn(problem)
                failures += 1
            }
        }
        out.flush()
        if failures > 0 { throw ExitCode(.failure) }
    }
}
