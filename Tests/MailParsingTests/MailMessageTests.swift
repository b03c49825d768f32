import Foundation
import TestSupport
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

    @Test("the topmost Received field's date is when the last server received it")
    func receivedDate() throws {
        let message = try MailMessage(bytes: Array((
            "Received: from mx2.example.org (mx2 [192.0.2.7])\r\n\tby mx1.example.org; Tue, 5 Mar 2019 10:16:02 +0100\r\n"
            + "Received: from a.example by mx2.example.org; Tue, 5 Mar 2019 10:15:59 +0100\r\n"
            + "Subject: x\r\n\r\nbody\r\n").utf8))
        #expect(message.receivedDate == Date(timeIntervalSince1970: 1_551_777_362))
        #expect(try MailMessage(bytes: Array("Received: from x by y\r\nSubject: x\r\n\r\nb\r\n".utf8)).receivedDate == nil)
        #expect(try MailMessage(bytes: Array("Subject: x\r\n\r\nb\r\n".utf8)).receivedDate == nil)
    }

    @Test("a blank first line ends an empty header: a message of body only, as Python's email reads it")
    func blankFirstLine() throws {
        for text in ["\n\nbody after a blank line", "\r\nbody\r\n"] {
            let message = try MailMessage(bytes: Array(text.utf8))
            #expect(message.header.fields.isEmpty)
            #expect(message.root.contentType.essence == "text/plain")
            #expect(message.defects.map(\.kind) == ["no header fields: the message starts with a blank line"])
        }
    }

    @Test("an Outlook .msg file (binary compound document) is not a message")
    func outlookMsg() throws {
        let bytes = try Fixtures.bytes("mail/outlook-msg.eml")
        #expect(bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        #expect(throws: MailParseError.self) { try MailMessage(bytes: bytes) }
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

    @Test("Japanese mail: ISO-2022-JP subject, name and body; Shift_JIS")
    func japanese() throws {
        let m = try fixture("iso-2022-jp.eml")
        #expect(m.subject == "会議の議事録について")
        #expect(pairs(m.addresses(.from)) == ["山田 花子 <hanako@kaisha.example>"])
        #expect(m.leafParts.compactMap { m.text(of: $0) } == ["各位\n\n来週の会議は木曜日の午後三時からです。\nよろしくお願いします。\n"])
        let sjis = try fixture("shift-jis.eml")
        #expect(sjis.subject == "請求書送付のご案内")
        #expect(sjis.leafParts.compactMap { sjis.text(of: $0) } == ["お世話になっております。\n請求書を添付いたします。\n"])
    }

    @Test("parts in many charsets, some labelled oddly, each decoded")
    func charsets() throws {
        let m = try fixture("charsets.eml")
        // GB2312-labelled, holding the GBK-only 镕: read with the GB 18030 superset.
        #expect(m.subject == "你好，朱镕基")
        // (The line end before a delimiter belongs to the delimiter; base64 parts keep their own.)
        #expect(m.leafParts.map { m.text(of: $0) } == [
            "Preis: 20 € “inklusive”",  // windows-1252, 0x80-0x9F
            "Café crème",  // "ISO_8859-1", quoted
            "Kosten: 5 € pro Stück",  // ISO-8859-15, quoted-printable
            "Привет из Москвы\n",  // KOI8-R, base64
            "東京の天気は晴れ",  // EUC-JP
            "Счёт оплачен",  // windows-1251
            "Prüfung bestanden ✓",  // an unknown label on UTF-8 text
            "Grüße in UTF-16\n",  // UTF-16 with a byte order mark, base64
            "Straße frei",  // "UTF-8*de": RFC 2231 language suffix on the label
        ])
    }

    @Test("quoted-printable UTF-8, and encoded-words whose text looks like encoded-words")
    func quotedPrintableAndNestedLookalikes() throws {
        let m = try fixture("qp-utf8.eml")
        #expect(m.subject == "=?utf-8?q?Kein_Wort?= und Grüße")
        #expect(pairs(m.addresses(.from)) == ["Mirosław Nowak <m.nowak@firma.example>"])
        #expect(pairs(m.addresses(.sender)) == ["René Dubois <rene@firma.example>"])
        // A space inside an encoded-word breaks it: left as written.
        #expect(m.header.first("Comments")?.decodedText == "=?UTF-8? Q?kaputt?=")
        #expect(m.leafParts.compactMap { m.text(of: $0) } == [
            "Schöne Grüße aus Kraków, dies ist eine sehr lange Zeile, die mit einem weichen Umbruch weitergeht.\r\nPreis: 100 €\r\n"
        ])
        let adjacent = try fixture("adjacent-encoded-words.eml")
        // RFC 2047 6.2: white space between encoded-words goes, next to plain text it stays.
        #expect(pairs(adjacent.addresses(.from)) == ["Reisebüro Sonnenschein <info@reise.example>"])
        #expect(adjacent.subject == "Ihre Buchung ist bestätigt - Nr. 88")
        // `=?iso-8859-1*de?q?…?=`: a language tag in the encoded-word (RFC 2231 section 5).
        #expect(pairs(adjacent.addresses(.to)) == ["Fränzi <fraenzi@reise.example>"])
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

    @Test("every fixture message parses (but the Outlook file), and every accessor answers")
    func everyFixture() throws {
        let files = Fixtures.files(in: "mail", withSuffix: ".eml")
        #expect(files.count >= 20)
        var refused: [String] = []
        for file in files {
            guard let m = try? MailMessage(bytes: Fixtures.bytes(file)) else {
                refused.append(file)
                continue
            }
            #expect(m.header.fields.count >= 3, "\(file)")
            #expect(!m.leafParts.isEmpty, "\(file)")
            _ = try JSONEncoder().encode(MessageSummary(message: m))
            for part in m.leafParts { _ = m.text(of: part) }
            for field in AddressField.allCases { _ = m.addresses(field) }
        }
        #expect(refused == ["mail/outlook-msg.eml"])
    }
}
