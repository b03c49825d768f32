import Foundation
import MailParsing
import Testing

/// The `privctl inspect --json` record (MessageSummary).
@Suite("Message summary")
struct MessageSummaryTests {
    private func json(_ summary: MessageSummary) throws -> [String: Any] {
        let data = try JSONEncoder().encode(summary)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("exactly the documented keys, absent values as null")
    func keys() throws {
        let m = try parse("Subject: only a subject\n\nbody")
        let object = try json(MessageSummary(message: m))
        #expect(Set(object.keys) == ["messageId", "date", "from", "to", "cc", "replyTo", "subject", "parts"])
        #expect(object["messageId"] is NSNull)
        #expect(object["date"] is NSNull)
        #expect(object["subject"] as? String == "only a subject")
        let parts = try #require(object["parts"] as? [[String: Any]])
        #expect(parts.count == 1)
        #expect(Set(parts[0].keys) == ["contentType", "filename", "size"])
        #expect(parts[0]["filename"] is NSNull)
        #expect(parts[0]["size"] as? Int == 4)
    }

    @Test("a full message")
    func full() throws {
        let m = try parse(
            """
            Message-ID: <m1@x>
            Date: Mon, 30 Apr 2001 12:17:50 +0200
            From: =?utf-8?q?J=C3=B6rg?= <j@x>
            To: a@x, Group: b@y, c@z;
            Cc: "Doe, Jane" <jane@x>
            Reply-To: r@x
            Subject: Report
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            hello
            --b
            Content-Type: application/pdf; name="r.pdf"
            Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf
            Content-Transfer-Encoding: base64

            SGVsbG8=
            --b--
            """)
        let summary = MessageSummary(message: m)
        #expect(summary.messageId == "<m1@x>")
        #expect(summary.date == "2001-04-30T10:17:50Z")
        #expect(summary.from == [MailAddress(name: "Jörg", address: "j@x")])
        #expect(summary.to.map(\.address) == ["a@x", "b@y", "c@z"])
        #expect(summary.cc == [MailAddress(name: "Doe, Jane", address: "jane@x")])
        #expect(summary.replyTo.map(\.address) == ["r@x"])
        #expect(summary.subject == "Report")
        #expect(summary.parts == [
            MessageSummary.Part(contentType: "text/plain", filename: nil, size: 5),
            MessageSummary.Part(contentType: "application/pdf", filename: "résumé.pdf", size: 5),
        ])
        let object = try json(summary)
        let from = try #require(object["from"] as? [[String: String]])
        #expect(from == [["name": "Jörg", "address": "j@x"]])
    }

    @Test("round trip through JSON")
    func roundTrip() throws {
        let summary = MessageSummary(message: try fixture("torture.eml"))
        #expect(summary.parts.count == 32)
        let decoded = try JSONDecoder().decode(MessageSummary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)
    }
}
