import Foundation
import Testing

@testable import MailParsing

/// The MIME tree (MIMETreeBuilder, MIMEEntity, MediaType, TransferEncoding).
@Suite("MIME tree")
struct MIMETreeBuilderTests {
    private func body(_ m: MailMessage, _ part: MIMEEntity) -> String {
        String(decoding: m.bytes[part.bodyRange], as: UTF8.self)
    }

    @Test("a single-part message is its own only leaf, text/plain us-ascii by default")
    func singlePart() throws {
        let m = try parse("Subject: s\n\nhello\n")
        #expect(m.root.isLeaf)
        #expect(m.leafParts.count == 1)
        #expect(m.root.contentType == MediaType.defaultText)
        #expect(m.root.transferEncoding == .sevenBit)
        #expect(body(m, m.root) == "hello\n")
    }

    @Test("multipart with preamble and epilogue; the CRLF before a delimiter belongs to it")
    func preambleEpilogue() throws {
        let m = try parse(
            """
            Content-Type: multipart/mixed; boundary="simple boundary"

            This is the preamble.
            --simple boundary

            This is implicitly typed plain US-ASCII text.
            --simple boundary
            Content-type: text/plain; charset=us-ascii

            This is explicitly typed plain US-ASCII text.

            --simple boundary--
            This is the epilogue.

            """, crlf: true)
        let parts = m.leafParts
        #expect(parts.count == 2)
        #expect(body(m, parts[0]) == "This is implicitly typed plain US-ASCII text.")
        #expect(body(m, parts[1]) == "This is explicitly typed plain US-ASCII text.\r\n")
        #expect(parts[0].header.fields.isEmpty)
        #expect(m.defects.isEmpty)
    }

    @Test("nested multiparts and message/rfc822 parsed in place")
    func nesting() throws {
        let m = try parse(
            """
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain

            plain
            --inner
            Content-Type: text/html

            <p>html</p>
            --inner--
            --outer
            Content-Type: message/rfc822

            From: Inner <inner@x>
            Subject: enclosed

            enclosed body
            --outer--
            """)
        #expect(m.leafParts.map(\.contentType.essence) == ["text/plain", "text/html", "text/plain"])
        let rfc822 = m.root.children[1]
        #expect(rfc822.contentType.essence == "message/rfc822")
        let enclosed = try #require(rfc822.children.first)
        #expect(enclosed.header.first("Subject")?.decodedText == "enclosed")
        #expect(AddressListParser.parse(enclosed.header.first("From")!.rawValue) == [MailAddress(name: "Inner", address: "inner@x")])
        #expect(body(m, enclosed) == "enclosed body")
    }

    @Test("a boundary that is a prefix of another never matches the longer one")
    func prefixClash() throws {
        let m = try parse(
            """
            Content-Type: multipart/mixed; boundary=foo

            --foo
            Content-Type: multipart/alternative; boundary=foobar

            --foobar
            Content-Type: text/plain

            one
            --foobar
            Content-Type: text/plain

            two
            --foobar--
            --foo--
            """)
        #expect(m.leafParts.count == 2)
        #expect(m.leafParts.map { body(m, $0) } == ["one", "two"])
    }

    @Test("white space after a delimiter is transport padding")
    func trailingWhitespace() throws {
        let m = try parse("Content-Type: multipart/mixed; boundary=b\n\n--b  \t\n\none\n--b--   \n")
        #expect(m.leafParts.map { body(m, $0) } == ["one"])
    }

    @Test("a missing close delimiter ends the last part with its parent")
    func missingClose() throws {
        let m = try parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n")
        #expect(m.leafParts.map { body(m, $0) } == ["one", "two"])
        #expect(m.defects.contains { $0.kind == "multipart without close delimiter" })
    }

    @Test("no boundary parameter, or no delimiter line: the multipart is a leaf")
    func noDelimiters() throws {
        let a = try parse("Content-Type: multipart/mixed\n\nbody\n")
        #expect(a.leafParts.count == 1 && a.root.isLeaf)
        let b = try parse("Content-Type: multipart/mixed; boundary=x\n\n--y\n\nbody\n")
        #expect(b.root.isLeaf)
        #expect(b.defects.contains { $0.kind == "multipart without any delimiter line read as a leaf" })
    }

    @Test("an empty boundary: the delimiter lines are bare `--`")
    func emptyBoundary() throws {
        let e = try parse("Content-Type: multipart/mixed; boundary=\"\"\n\n--\nContent-Type: text/plain\n\nHello.\n----\n")
        #expect(e.leafParts.map { body(e, $0) } == ["Hello."])
        // Three levels that all use the empty boundary: every `--` line is the outer one's, so
        // the inner multiparts have no delimiter of their own and are leaves.
        let nested = try fixture("empty-boundary-nested.eml")
        #expect(nested.leafParts.map(\.contentType.essence) == ["multipart/mixed", "multipart/mixed", "text/plain"])
        #expect(body(nested, nested.leafParts[2]) == "Innen.")
        #expect(nested.defects.filter { $0.kind == "multipart without any delimiter line read as a leaf" }.count == 2)
    }

    @Test("a 7 KB boundary line and a boundary with characters Python refuses unquoted")
    func longAndOddBoundaries() throws {
        let boundary = String(repeating: "0123456789abcdef", count: 448)
        let long = try parse(
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\n\n--\(boundary)\nContent-Type: text/plain\n\none\n"
                + "--\(boundary)\nContent-Type: text/html\n\n<p>two</p>\n--\(boundary)--\n")
        #expect(long.leafParts.map { body(long, $0) } == ["one", "<p>two</p>"])
        #expect(long.defects.isEmpty)
        // `boundary=----=_Teil/7?x_0042`: `=`, `/` and `?` are allowed only in quotes.
        let odd = try fixture("unquoted-tspecial-boundary.eml")
        #expect(odd.root.contentType.parameters["boundary"] == "----=_Teil/7?x_0042")
        #expect(odd.leafParts.map(\.contentType.essence) == ["text/plain", "text/html"])
        #expect(odd.leafParts.first.flatMap { odd.text(of: $0) } == "Angebote: Äpfel, Birnen.")
    }

    @Test("multipart/digest parts default to message/rfc822 and are descended into")
    func digest() throws {
        let m = try parse(
            """
            Content-Type: multipart/digest; boundary=d

            --d

            Subject: first

            one
            --d
            Content-Type: text/plain

            not a message
            --d--
            """)
        #expect(m.root.children[0].contentType.essence == "message/rfc822")
        #expect(m.root.children[0].children.first?.header.first("Subject")?.decodedText == "first")
        #expect(m.root.children[1].contentType.essence == "text/plain")
        #expect(m.leafParts.count == 2)
    }

    @Test("a base64 message/rfc822 is a leaf (its bytes are not in the message)")
    func encodedRFC822() throws {
        let m = try fixture("base64-rfc822.eml")
        #expect(m.leafParts.map(\.contentType.essence) == ["text/plain", "message/rfc822"])
        let leaf = try #require(m.leafParts.last)
        #expect(leaf.transferEncoding == .base64)
        let inner = try MailMessage(bytes: m.decodedBody(of: leaf))
        #expect(inner.subject == "Weitergeleitete Frage")
        #expect(m.defects.contains { $0.kind == "encoded message/rfc822 read as a leaf" })
    }

    @Test("nesting deeper than the limit becomes a leaf instead of recursing")
    func depthLimit() throws {
        var text = ""
        for level in 0..<200 { text += "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" }
        text += "\nbottom\n"
        let m = try parse(text)
        #expect(m.leafParts.count == 1)
        #expect(m.defects.contains { $0.kind.contains("deeper than") })
    }

    @Test("3,040 parts in one multipart are split in linear time")
    func manyParts() throws {
        var text = "From: a@x\nContent-Type: multipart/mixed; boundary=\"endless\"\n\n"
        for n in 0..<3_040 { text += "--endless\nContent-Type: text/plain\n\npart \(n)\n" }
        text += "--endless--\n"
        let bytes = mail(text)
        var m: MailMessage?
        let elapsed = try seconds { m = try MailMessage(bytes: bytes); _ = m?.leafParts }
        #expect(m?.leafParts.count == 3_040)
        #expect(m.map { body($0, $0.leafParts[3_039]) } == "part 3039")
        #expect(elapsed < 10, "took \(elapsed) s")
    }

    @Test("a 2 MB message with a PDF attachment is mapped without decoding the base64")
    func largeAttachment() throws {
        var text = "From: a@x\nSubject: pdf\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nsee attached\n--zz\n"
        text += "Content-Type: application/pdf; name=\"report.pdf\"\nContent-Transfer-Encoding: base64\n\n"
        let line = String(repeating: "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURl", count: 1) + "\n"
        text += String(repeating: line, count: 28_000)
        text += "--zz--\n"
        let bytes = mail(text)
        #expect(bytes.count > 2_000_000)
        var m: MailMessage?
        let elapsed = try seconds { m = try MailMessage(bytes: bytes) }
        let pdf = try #require(m?.leafParts.last)
        #expect(pdf.contentType.essence == "application/pdf")
        #expect(pdf.filename == "report.pdf")
        #expect(pdf.bodyRange.count == 28_000 * line.utf8.count - 1)
        #expect(elapsed < 3, "structural parse took \(elapsed) s")
        #expect(m!.decodedSize(of: pdf) == 28_000 * 54)
    }

    @Test("Content-Type parsing: case, comments, invalid types default to text/plain")
    func mediaTypes() throws {
        let m = try parse("Content-Type: TEXT/HTML (a comment); CHARSET=\"UTF-8\"\n\n")
        #expect(m.root.contentType.essence == "text/html")
        #expect(m.root.contentType.charset == "utf-8")
        #expect(try parse("Content-Type: application-x-gzip\n\n").root.contentType.essence == "text/plain")
        #expect(try parse("Content-Type: text/plain>\n\n").root.contentType.essence == "text/plain")
        let missingSemicolon = try parse("Content-Type: application/pdf name=\"x.pdf\"\n\n")
        #expect(missingSemicolon.root.contentType.essence == "application/pdf")
        #expect(missingSemicolon.root.filename == "x.pdf")
    }

    @Test("file names: Content-Disposition first, then Content-Type name; blank means none")
    func filenames() throws {
        let both = try parse("Content-Type: application/pdf; name=\"type.pdf\"\nContent-Disposition: ATTACHMENT; filename=\" disp.pdf \"\n\n")
        #expect(both.root.filename == "disp.pdf")
        #expect(both.root.disposition == "attachment")
        let nameOnly = try parse("Content-Type: application/pdf; name=\"type.pdf\"\nContent-Disposition: inline\n\n")
        #expect(nameOnly.root.filename == "type.pdf")
        #expect(nameOnly.root.disposition == "inline")
        let blank = try parse("Content-Type: application/pdf; name=\"\"\nContent-Disposition: attachment; filename=\"  \"\n\n")
        #expect(blank.root.filename == nil)
        #expect(try parse("Subject: x\n\n").root.disposition == nil)
    }

    @Test(
        "transfer encodings, misspelt ones forgiven, unknown ones read as 7bit",
        arguments: [
            ("base64", TransferEncoding.base64), ("BASE64;", .base64), (" Quoted-Printable ", .quotedPrintable),
            ("quoted_printable", .quotedPrintable), ("8bits", .eightBit), ("8bit", .eightBit), ("7-bit", .sevenBit),
            ("binary", .binary), ("x-uuencode", .sevenBit), ("base9000", .sevenBit), ("", .sevenBit),
        ])
    func transferEncodings(value: String, expected: TransferEncoding) {
        #expect(TransferEncoding(headerValue: value) == expected)
    }

    @Test("the MIME torture test: every leaf found, nested messages and digests included")
    func torture() throws {
        let m = try fixture("torture.eml")
        #expect(m.leafParts.map(\.contentType.essence) == [
            "text/plain", "text/plain", "text/enriched", "text/html",  // intro, alternative
            "text/plain", "image/gif", "audio/basic",  // message/rfc822 > mixed
            "text/plain", "audio/basic", "image/gif",  // … > message/rfc822 > parallel
            "text/plain", "text/plain", "text/html", "text/plain",  // digest of three messages
            "application/octet-stream", "application/postscript",
            "text/html", "image/png", "image/jpeg",  // related
            "text/plain",  // a short message/rfc822
            "text/x-vcard", "application/pdf",
            "text/plain", "text/html", "text/calendar",  // mixed > mixed > alternative
            "message/delivery-status", "text/rfc822-headers",
            "application/ms-tnef", "video/mpeg", "text/plain", "application/x-gzip", "text/plain",
        ])
        #expect(m.defects.isEmpty)
        #expect(m.leafParts.compactMap(\.filename) == ["punkt.gif", "daten.bin", "plan.pdf", "log.gz"])
        let texts = m.leafParts.compactMap { m.text(of: $0) }
        #expect(texts.contains("Gleichzeitig: Text, Ton, Bild."))
        #expect(texts.contains("Grüße aus der Werkstatt."))
        // Preamble and epilogue belong to no part.
        #expect(!texts.contains { $0.contains("Vorwort") || $0.contains("Nachwort") })
        let gif = try #require(m.leafParts.first { $0.contentType.essence == "image/gif" })
        #expect(m.decodedBody(of: gif).starts(with: Array("GIF89a".utf8)))
    }
}
