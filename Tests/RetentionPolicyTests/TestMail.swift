import Foundation
import MailParsing
import PrivacyEvents
import RetentionPolicy

/// Builds RFC 5322 messages for the tests: header fields, a text body and attachments, the way a
/// mail client writes them (multipart/mixed, base64 attachments, CRLF line ends).
struct TestMail {
    /// The built-in policy with `own-domains: [muster-hosting.de]`, the operator of these tests.
    static let operatorPolicy: RetentionPolicy = {
        let yaml = RetentionPolicy.builtInYAML.replacingOccurrences(
            of: "# own-domains: [example.de, example-hosting.de]", with: "own-domains: [muster-hosting.de]")
        precondition(yaml != RetentionPolicy.builtInYAML, "the built-in policy no longer has the own-domains example")
        return try! RetentionPolicy(yaml: yaml, file: "operator-policy.yaml")
    }()

    var headers: [(String, String)] = []
    var body = "Hallo,\r\n\r\nviele Grüße\r\n"
    var bodyType = "text/plain; charset=utf-8"
    var attachments: [(filename: String, type: String, content: String)] = []

    init(
        from: String = "Anna Schmidt <anna.schmidt@firma-schmidt.de>",
        to: String = "Info <info@muster-hosting.de>",
        subject: String? = "Hallo",
        date: String? = "Tue, 05 Mar 2019 10:15:00 +0100",
        headers extra: [(String, String)] = [],
        body: String? = nil,
        attachments: [(filename: String, type: String, content: String)] = []
    ) {
        headers.append(("From", from))
        headers.append(("To", to))
        if let subject { headers.append(("Subject", subject)) }
        if let date { headers.append(("Date", date)) }
        headers.append(("Message-ID", "<\(UUID().uuidString)@firma-schmidt.de>"))
        headers += extra
        if let body { self.body = body }
        self.attachments = attachments
    }

    var bytes: [UInt8] {
        var text = ""
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "MIME-Version: 1.0\r\n"
        if attachments.isEmpty {
            text += "Content-Type: \(bodyType)\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
            return Array(text.utf8)
        }
        let boundary = "=_boundary_\(abs(body.hashValue))"
        text += "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n\r\n"
        text += "This is a multi-part message in MIME format.\r\n"
        text += "--\(boundary)\r\nContent-Type: \(bodyType)\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\(body)\r\n"
        for attachment in attachments {
            let encoded = Data(attachment.content.utf8).base64EncodedString(options: [
                .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
            ])
            text += "--\(boundary)\r\n"
            text += "Content-Type: \(attachment.type); name=\"\(attachment.filename)\"\r\n"
            text += "Content-Disposition: attachment; filename=\"\(attachment.filename)\"\r\n"
            text += "Content-Transfer-Encoding: base64\r\n\r\n\(encoded)\r\n"
        }
        text += "--\(boundary)--\r\n"
        return Array(text.utf8)
    }

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
