import Foundation
import Testing

@testable import MailParsing

/// MailMessage: what throws, the accessors, text and bodies.
@Suite("MailMessage")
struct MailMessageTests {
    @Test(
        "bytes that are no message throw with a one-sentence reason",
        arguments: [
            [UInt8](),
            Array("This is a simple message not having headers.\r\nThe whole text is body.\r\n".utf8),
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D],
            Array("\n\nbody after a blank line".utf8),
            Array("   \n\t\n".utf8),
        ])
    func notAMessage(bytes: [UInt8]) {
        #expect(throws: MailParseError.self) { try MailMessage(bytes: bytes) }
        do {
            _ = try MailMessage(bytes: bytes)
        } catch {
            #expect(error.description.hasSuffix("."))
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("an Outlook .msg file (binary compound document) is not a message")
    func outlookMsg() throws {
        #expect(throws: MailParseError.self) { try Corpus.message("spamscope/mail_outlook_1.eml") }
    }

    @Test("header accessors")
    func accessors() throws {
        let m = try parse(
            """
            Message-ID:
             <1234@local.machine.example>
            Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= aus
             Berlin
            Date: Fri, 21 Nov 1997 09:55:06 -0600
            From: John Doe <jdoe@machine.example>

            body
            """, crlf: true)
        #expect(m.messageID == "<1234@local.machine.example>")
        #expect(m.subject == "Grüße aus Berlin")
        #expect(m.date.map(MessageSummary.iso8601) == "1997-11-21T15:55:06Z")
        #expect(m.addresses(.from) == [MailAddress(name: "John Doe", address: "jdoe@machine.example")])
        #expect(m.addresses(.to).isEmpty)
    }

    @Test("text(of:) decodes transfer encoding and charset; nil for non-text parts")
    func text() throws {
        let m = try parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            caf=E9
            --b
            Content-Type: text/plain; charset=koi8-r
            Content-Transfer-Encoding: base64

            8NLJ18XU
            --b
            Content-Type: text/html; charset=us-askey

            caf\u{E9}
            --b
            Content-Type: image/png
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --b--
            """)
        let parts = m.leafParts
        #expect(m.text(of: parts[0]) == "café")
        #expect(m.text(of: parts[1]) == "Привет")
        #expect(m.text(of: parts[2]) == "café")  // unknown charset, valid UTF-8
        #expect(m.text(of: parts[3]) == nil)
        #expect(m.decodedBody(of: parts[3]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test("Japanese mail: ISO-2022-JP subject and body, Shift_JIS")
    func japanese() throws {
        let m = try Corpus.message("mimekit/messages/japanese.eml")
        #expect(m.subject?.unicodeScalars.contains { $0.value >= 0x3040 } == true)
        let text = try #require(m.leafParts.compactMap { m.text(of: $0) }.first)
        #expect(text.unicodeScalars.contains { $0.value >= 0x3040 })
        let sjis = try Corpus.message("mail-ruby/multi_charset/japanese_shift_jis.eml")
        #expect(sjis.leafParts.compactMap { sjis.text(of: $0) }.first?.unicodeScalars.contains { $0.value >= 0x3040 } == true)
    }

    @Test("parts built by hand with ranges outside the message are clamped, not trapped")
    func foreignEntity() throws {
        let m = try parse("Subject: s\n\nbody")
        var part = m.root
        part.bodyRange = 5..<10_000
        #expect(m.decodedBody(of: part).count == m.bytes.count - 5)
        part.bodyRange = 50_000..<60_000
        #expect(m.decodedBody(of: part).isEmpty)
    }

    @Test(
        "hostile 200 KB fields stay linear in every accessor",
        arguments: [
            String(repeating: "a@x ", count: 50_000),  // 50,000 missing commas
            "<" + String(repeating: "a:", count: 100_000) + ">",  // colons inside brackets
            String(repeating: "(", count: 100_000),  // unclosed nested comments
            String(repeating: "\"a\" ", count: 40_000),
            String(repeating: "=?utf-8?q?x?= ", count: 15_000),
            String(repeating: "1-Jan-2001 ", count: 20_000),
            String(repeating: "a b ", count: 50_000) + "=x",
            String(repeating: "x*0*=a; ", count: 25_000),
            String(repeating: "<", count: 200_000),
        ])
    func hostileFields(value: String) throws {
        let text = "From: \(value)\nTo: \(value)\nDate: \(value)\nSubject: \(value)\nContent-Type: \(value)\nContent-Disposition: \(value)\n\nbody"
        let bytes = mail(text)
        let elapsed = try seconds {
            let m = try MailMessage(bytes: bytes)
            _ = MessageSummary(message: m)
            _ = m.addresses(.from)
        }
        #expect(elapsed < 10, "took \(elapsed) s")
    }

    @Test("every corpus message parses or throws, and every accessor answers")
    func wholeCorpus() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Corpus.folder.path)
            .filter { $0.hasSuffix(".eml") || $0.hasSuffix(".mbox") }
        #expect(files.count >= 400)
        var parsed = 0
        for file in files {
            let data = try Corpus.bytes(file)
            let messages = file.hasSuffix(".mbox") ? MessageSource.splitMbox(data) : [data]
            for bytes in messages {
                guard let m = try? MailMessage(bytes: bytes) else { continue }
                parsed += 1
                _ = MessageSummary(message: m)
                for part in m.leafParts { _ = m.text(of: part) }
                for field in AddressField.allCases { _ = m.addresses(field) }
            }
        }
        #expect(parsed >= 440)
    }
}
