import Foundation
import MailParsing
import PrivacyEvents
import RetentionPolicy
import TestSupport

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
