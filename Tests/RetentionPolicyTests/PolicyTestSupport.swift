import Foundation
import MailParsing
import PrivacyEvents
import RetentionPolicy
import TestSupport
import Testing

/// The built-in policy with `own-domains: [muster-hosting.de]`, the operator of these tests (the
/// receiver of `MessageBuilder`'s default letter).
let operatorPolicy: RetentionPolicy = {
    let yaml = RetentionPolicy.builtInYAML.replacingOccurrences(
        of: "# own-domains: [example.de, example-hosting.de]", with: "own-domains: [muster-hosting.de]")
    precondition(yaml != RetentionPolicy.builtInYAML, "the built-in policy no longer has the own-domains example")
    return try! RetentionPolicy(yaml: yaml, file: "operator-policy.yaml")
}()

extension MessageBuilder {
    /// The message, parsed.
    var message: MailMessage { try! MailMessage(bytes: bytes) }
}

/// The delivery instant used by most tests: 2019-03-05 09:16:00 UTC.
let testDelivery = Date(timeIntervalSince1970: 1_551_777_360)

/// A context in a folder with the test delivery date.
func context(_ folder: String = "INBOX", delivered: Date = testDelivery, events: [String: CalendarDay] = [:])
    -> MessageContext
{
    MessageContext(folder: folder, deliveryDate: delivered, eventDays: events)
}

extension Classifier {
    /// Classifies a message twice, evaluating only the rules that could change the outcome and
    /// evaluating every rule (`--explain`), expects both to decide alike, and returns both.
    func classifyBothWays(_ mail: MessageBuilder, folder: String = "INBOX") -> (quick: Classification, explained: Classification) {
        let quick = classify(mail.message, context: context(folder))
        let explained = classify(mail.message, context: context(folder), explaining: true)
        #expect(
            quick.category == explained.category && quick.rule == explained.rule && quick.schedule == explained.schedule,
            "evaluating every rule decided otherwise than evaluating only those that could change the outcome")
        return (quick, explained)
    }
}
