import Foundation
import Testing

@testable import MailParsing

/// HeaderBlock, HeaderField and the header scan (HeaderScanner).
@Suite("Header fields")
struct HeaderBlockTests {
    @Test("fields are located in order with raw, still folded values")
    func fieldsInOrder() throws {
        let m = try parse("From: a@x\nTo: b@y,\n c@z\nSubject: hi\n\nbody\n")
        #expect(m.header.fields.map(\.name) == ["From", "To", "Subject"])
        let to = try #require(m.header.first("to"))
        #expect(Array(to.rawValue) == Array(" b@y,\n c@z".utf8))
        #expect(to.unfoldedValue == "b@y, c@z")
        #expect(m.header.range == 0..<36)
        #expect(m.root.bodyRange.lowerBound == 37)
    }

    @Test("names compare case-insensitively; all() keeps every occurrence")
    func lookup() throws {
        let m = try parse("Received: one\nRECEIVED: two\nreceived: three\nX: y\n\n")
        #expect(m.header.all("Received").map(\.unfoldedValue) == ["one", "two", "three"])
        #expect(m.header.first("received")?.unfoldedValue == "one")
        #expect(m.header.contains("x"))
        #expect(!m.header.contains("Subject"))
    }

    @Test("lookups compare bytes: hasName, names of every length, fields changed after parsing")
    func byteLookup() throws {
        var m = try parse("Content-Transfer-Encoding: base64\nX-A: 1\nList-Unsubscribe: <u>\n\n")
        #expect(m.header.fields[0].hasName("content-transfer-encoding"))
        #expect(m.header.fields[0].hasName("CONTENT-TRANSFER-ENCODING"))
        #expect(!m.header.fields[0].hasName("content-transfer-encodin"))
        #expect(m.header.contains("list-unsubscribe") && m.header.contains("x-a"))
        #expect(!m.header.contains("x-b") && !m.header.contains("") && !m.header.contains("List-Unsubscribe-Post"))
        var header = m.header
        header.fields.append(HeaderField(name: "X-Added", rawValue: [0x31]))
        header.fields[0].name = "Renamed"
        #expect(header.contains("x-added") && header.contains("RENAMED"))
        #expect(!header.contains("Content-Transfer-Encoding"))
        m = try parse("x: 1\n\n")
        #expect(m.header.first("X")?.name == "x")
    }

    @Test("CRLF and LF line ends, folding with tabs, unfolding keeps the white space")
    func folding() throws {
        let m = try parse("Subject: one\n\ttwo\n   three\n\nbody", crlf: true)
        #expect(m.subject == "one\ttwo   three")
        #expect(m.header.first("Subject")?.rawValue.contains(0x0D) == true)
    }

    @Test("RFC 5322 obsolete syntax: white space before the colon, empty folding lines")
    func obsoleteSyntax() throws {
        let m = try fixture("obsolete-syntax.eml")
        // `X-Werk\xE4statt:` is dropped: a field name holds printable ASCII only.
        #expect(m.header.fields.map(\.name) == ["From", "X-Room", "To", "Subject", "Date"])
        // `Subject   :Minutes …` folded over a line of white space only (CRLFs removed, nothing else).
        #expect(m.subject == "Minutes of the planning meeting \t   moved to Thursday")
        #expect(m.header.first("X-Room")?.unfoldedValue == "Lab 3")
        #expect(pairs(m.addresses(.from)) == ["Ines Keller <ines@werkstatt.example>"])
        #expect(pairs(m.addresses(.to)) == ["Bruno Haas <bruno@werkstatt.example>"])
        #expect(m.date.map(MessageSummary.iso8601) == "2024-09-12T14:05:00Z")
        #expect(m.defects.map(\.kind) == ["header field name with invalid bytes"])
    }

    @Test("a continuation line before the first field is skipped")
    func leadingContinuation() throws {
        let m = try fixture("continuation-first.eml")
        #expect(m.header.fields.map(\.name) == ["Subject", "From", "To", "Date"])
        #expect(m.subject == "Wochenbericht")
        #expect(m.defects.contains { $0.kind == "continuation line before the first header field" })
    }

    @Test("an mbox From_ line is skipped, at the start silently")
    func envelopeLine() throws {
        let m = try parse("From someone@x Mon Jan  1 00:00:00 2001\nSubject: s\n\nb")
        #expect(m.header.fields.map(\.name) == ["Subject"])
        #expect(m.defects.isEmpty)
    }

    @Test("a line that is no header field ends the header without a blank line")
    func missingSeparator() throws {
        let m = try fixture("no-blank-line.eml")
        #expect(m.header.fields.map(\.name) == ["From", "Date", "Subject"])
        let body = Array(m.bytes[m.root.bodyRange])
        #expect(body.starts(with: Array("this sentence is where the header ends\r\nLooks-Like-A-Field:".utf8)))
        #expect(m.defects.contains { $0.kind == "header ended without a blank line" })
    }

    @Test("a parameter line that lost its folding white space continues the field")
    func mangledParameterContinuation() throws {
        let m = try fixture("unfolded-parameter.eml")
        let attachment = try #require(m.leafParts.last)
        #expect(attachment.contentType.essence == "application/zip")
        #expect(attachment.contentType.parameters == ["x-mode": "0640", "name": "Angebot_2024-117.zip"])
        #expect(attachment.filename == "Angebot_2024-117.zip")
        #expect(m.defects.map(\.kind) == ["parameter continuation without folding white space"])
    }

    @Test("a header without body, and a header that is the whole message")
    func headerOnly() throws {
        let m = try parse("Subject: only\n")
        #expect(m.subject == "only")
        #expect(m.root.bodyRange.isEmpty)
        let n = try parse("Subject: only")
        #expect(n.subject == "only")
        #expect(n.header.range == 0..<13)
    }

    @Test("empty values and values of white space")
    func emptyValues() throws {
        let m = try parse("Subject:\nCc:   \nMessage-ID:\n\n")
        #expect(m.subject == "")
        #expect(m.messageID == "")
        #expect(m.addresses(.cc).isEmpty)
    }

    @Test("raw 8-bit values: UTF-8 (RFC 6532) as UTF-8, other bytes as Latin-1")
    func eightBit() throws {
        let utf8 = try fixture("utf8-headers.eml")
        #expect(utf8.subject == "Größenänderung – Übersicht für März")
        #expect(pairs(utf8.addresses(.from)) == ["Zoë Ångström <zoe@bokhandel.example>"])
        #expect(pairs(utf8.addresses(.to)) == ["Jürgen Weiß <juergen@buecher.example>"])
        // Latin-1 bytes in a whole message; 0x96 is the Windows-1252 en dash.
        let legacy = try fixture("latin1-headers.eml")
        #expect(legacy.subject == "Rückfrage zur Lieferung – dringend")
        #expect(pairs(legacy.addresses(.from)) == ["Jürgen Möller <moeller@mail.example>"])
        let latin1 = try MailMessage(bytes: Array("Subject: caf".utf8) + [0xE9] + Array("\n\n".utf8))
        #expect(latin1.subject == "café")
        #expect(latin1.header.first("Subject")?.unfoldedValue == "café")
    }

    @Test("a UTF-8 byte order mark before the header is skipped")
    func byteOrderMark() throws {
        let m = try fixture("bom.eml")
        #expect(pairs(m.addresses(.from)) == ["Abuse Desk <abuse@provider.example>"])
        #expect(m.subject == "Beschwerde über Nachricht 4711")
        #expect(m.header.range.lowerBound == 3)
        #expect(m.leafParts.map(\.contentType.essence) == ["text/plain", "message/feedback-report", "text/rfc822-headers"])
    }

    @Test("NUL bytes and control characters do not disturb the scan")
    func controlBytes() throws {
        let m = try MailMessage(bytes: Array("Subject: a".utf8) + [0, 1, 2] + Array("b\nTo: x@y\n\n\0".utf8))
        #expect(m.header.fields.count == 2)
        #expect(pairs(m.addresses(.to)) == ["x@y"])
    }

    @Test("a 135 KB folded To header is scanned and decoded in linear time")
    func hugeFoldedHeader() throws {
        // A To of 4,000 items folded onto their own lines, a third of them encoded-words only.
        let items = (0..<4_000).map { $0 % 3 == 0 ? "=?utf-8?q?Empf=C3=A4nger_\($0)?=" : "\"Person \($0)\" <p\($0)@list.example>" }
        let bytes = mail("From: a@x\nTo: " + items.joined(separator: ",\n\t") + "\nSubject: Message Subject\n\nbody\n", crlf: true)
        var m: MailMessage?
        let elapsed = try seconds {
            m = try MailMessage(bytes: bytes)
            _ = m?.addresses(.to)
            _ = m?.header.first("To")?.decodedText
        }
        let to = try #require(m?.header.first("To"))
        #expect(to.rawValue.count > 130_000)
        let list = m?.addresses(.to) ?? []
        #expect(list.count == 4_000)
        #expect(list.dropFirst().first == MailAddress(name: "Person 1", address: "p1@list.example"))
        #expect(list.last == MailAddress(name: "Empfänger 3999", address: ""))
        #expect(m?.subject == "Message Subject")
        #expect(elapsed < 5, "took \(elapsed) s")
    }
}
