import Foundation
import MailParsing
import Testing

@testable import SubjectSearch

@Suite struct SubjectMatcherTests {
    func evidence(_ message: String, addresses: [String] = ["bob@example.org"], names: [String] = []) throws -> [String] {
        let matcher = SubjectMatcher(try SubjectQuery(addresses: addresses, names: names))
        return matcher.evidence(in: try MailMessage(bytes: Array(message.utf8)), contentHash: nil)
    }

    /// A field or text that holds her address only as a subaddress says so (the receipt's
    /// "found in"); with `exactAddresses` such a message is not hers.
    @Test func subaddressesAreNamedAsFound() throws {
        let message = "From: Bob <bob+shop@example.org>\r\nTo: bob@example.org\r\nSubject: x\r\n\r\nAntwort an bob+shop@example.org\r\n"
        #expect(try evidence(message) == ["From (as a subaddress)", "To", "text part 1 (text/plain) (as a subaddress)"])
        let exact = SubjectMatcher(try SubjectQuery(addresses: ["bob@example.org"], exactAddresses: true))
        #expect(exact.evidence(in: try MailMessage(bytes: Array(message.utf8)), contentHash: nil) == ["To"])
        let only = "From: bob+shop@example.org\r\nSubject: x\r\n\r\nhi\r\n"
        #expect(exact.evidence(in: try MailMessage(bytes: Array(only.utf8)), contentHash: nil).isEmpty)
    }

    @Test func findsTheAddressInEachAddressHeader() throws {
        for field in ["From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Delivered-To", "Return-Path"] {
            let message = "\(field): Bob <BOB@example.org>\r\nSubject: x\r\n\r\nbody\r\n"
            #expect(try evidence(message) == [field], "\(field)")
        }
    }

    @Test func findsTheAddressInBase64AndQuotedPrintableBodies() throws {
        let base64 = Data("Bitte antworten Sie an bob@example.org.\n".utf8).base64EncodedString()
        let message = """
            From: a@x.example\r
            Subject: x\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary=b\r
            \r
            --b\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: base64\r
            \r
            \(base64)\r
            --b\r
            Content-Type: text/html; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            <a href=3D"mailto:bob@exam=\r
            ple.org">Bob</a>\r
            --b--\r

            """
        let matcher = SubjectMatcher(try SubjectQuery(addresses: ["bob@example.org"]))
        let parsed = try MailMessage(bytes: Array(message.utf8))
        // Not in the raw bytes: only decoding finds it.
        #expect(!matcher.occursRaw(in: parsed.bytes))
        #expect(matcher.occursDecoded(in: parsed))
        #expect(matcher.evidence(in: parsed, contentHash: nil) == ["text part 1 (text/plain)", "text part 2 (text/html)"])
    }

    /// What a scan asks of a message whose raw bytes did not match: only encoded-words and
    /// encoded text parts are decoded, each in its charset.
    @Test func occursDecodedLooksOnlyWhereEncodingHides() throws {
        func occurs(_ message: String, _ address: String = "bob@example.org") throws -> Bool {
            let matcher = SubjectMatcher(try SubjectQuery(addresses: [address]))
            let parsed = try MailMessage(bytes: Array(message.utf8))
            return matcher.occursDecoded(in: parsed)
        }
        func part(_ charset: String, _ encoding: String, _ body: String) -> String {
            "From: a@x.example\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=\(charset)\r\n"
                + "Content-Transfer-Encoding: \(encoding)\r\n\r\n\(body)\r\n"
        }
        // An encoded-word in a header.
        let word = "=?utf-8?b?" + Data("Bob <bob@example.org>".utf8).base64EncodedString() + "?="
        #expect(try occurs("From: \(word)\r\nSubject: x\r\n\r\nhi\r\n"))
        #expect(try !occurs("From: =?utf-8?q?J=C3=BCrgen?= <j@x.example>\r\nSubject: x\r\n\r\nhi\r\n"))
        // Quoted-printable in Latin-1, the `@` escaped; and a part that holds someone else.
        #expect(try occurs(part("iso-8859-1", "quoted-printable", "Gr=FC=DFe an bob=40example.org")))
        #expect(try !occurs(part("iso-8859-1", "quoted-printable", "Gr=FC=DFe an bobby=40example.org")))
        // UTF-16 is no ASCII-compatible charset: searched as text.
        var utf16 = Data([0xFE, 0xFF])
        utf16.append("Schreiben Sie an bob@example.org".data(using: .utf16BigEndian)!)
        #expect(try occurs(part("utf-16", "base64", utf16.base64EncodedString())))
        // A non-ASCII address in Latin-1: the bytes differ from the query's, the text does not.
        #expect(try occurs(part("iso-8859-1", "quoted-printable", "an j=FCrgen@m=FCller.de"), "jürgen@müller.de"))
        // A plain part is what the raw search already read: not decoded again.
        #expect(try !occurs(part("utf-8", "8bit", "an bob@example.org")))
        // Unless its charset writes ASCII otherwise: UTF-16 in 8bit, beside an encoded subject
        // (a hostile review found both missed).
        let utf16LE = String(decoding: Array("Write to bob@example.org".utf16).flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }, as: UTF8.self)
        #expect(try occurs(part("utf-16le", "8bit", utf16LE).replacingOccurrences(of: "Subject: x", with: "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=")))
        #expect(try occurs(part("utf-16le", "8bit", utf16LE)))
        // Or the address is not ASCII and the part is Latin-1: its bytes are not the query's.
        let header = "From: a@x.example\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\nan j"
        let latin1 = Array(header.utf8) + [0xFC] + Array("rgen@m".utf8) + [0xFC] + Array("ller.de\r\n".utf8)
        let juergen = SubjectMatcher(try SubjectQuery(addresses: ["jürgen@müller.de"]))
        #expect(juergen.occursDecoded(in: try MailMessage(bytes: latin1)))
    }

    /// What a request on record hashes: the `@` in each written form the scanner knows.
    @Test func peopleWithTheAtSignWrittenAsHTML() {
        let people = AddressExtractor.people(in: "bob&#0064;example.org, carol&#x040;x.example, dan&#064;y.example")
        #expect(Set(people) == ["bob@example.org", "carol@x.example", "dan@y.example"])
    }

    @Test func findsAnEncodedWordDisplayNameByName() throws {
        let message = "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@firma.example>\r\nSubject: Hallo\r\n\r\nText\r\n"
        #expect(try evidence(message, addresses: [], names: ["Jürgen Müller"]) == ["From"])
        #expect(try evidence(message, addresses: [], names: ["Anna Berg"]).isEmpty)
    }

    @Test func doesNotMatchSimilarAddresses() throws {
        let message = "From: jimbob@example.org\r\nTo: bob@example.org.evil\r\nSubject: bob@example.organic\r\n\r\nbob2@example.org\r\n"
        #expect(try evidence(message).isEmpty)
    }

    @Test func singleMessagesByMessageIDAndHash() throws {
        let message = try MailMessage(bytes: Array("Message-ID: <A1@x.example>\r\nSubject: x\r\n\r\nbody\r\n".utf8))
        let byID = SubjectMatcher(try SubjectQuery(messageIDs: ["a1@x.example"]))
        #expect(byID.evidence(in: message, contentHash: nil) == ["Message-ID"])
        let hash = String(repeating: "ab", count: 32)
        let byHash = SubjectMatcher(try SubjectQuery(contentHashes: [hash.uppercased()]))
        #expect(byHash.evidence(in: message, contentHash: hash) == ["content hash"])
        #expect(byHash.evidence(in: message, contentHash: String(repeating: "cd", count: 32)).isEmpty)
    }

    @Test func badQueriesAreOneLineErrors() {
        #expect(throws: SubjectQueryError.self) { try SubjectQuery(addresses: ["not-an-address"]) }
        #expect(throws: SubjectQueryError.self) { try SubjectQuery(contentHashes: ["abc"]) }
        #expect(throws: SubjectQueryError.self) { try SubjectQuery() }
        do {
            _ = try SubjectQuery(addresses: ["alice"])
        } catch {
            #expect(error.description == "\"alice\" is not one e-mail address (local@domain.tld; give each address its own --subject)")
        }
    }

    @Test(arguments: ["a@example.org,b@example.com", "a@example.org b@example.com", "a@b@example.org", "<a@example.org>", "a@example", "a@.example.org"])
    func moreThanOneAddressOrNoneIsRefused(_ text: String) {
        #expect(throws: SubjectQueryError.self) { try SubjectQuery(addresses: [text]) }
    }

    @Test(arguments: ["o'brien@example.ie", "anna+news@example.org", "first.last@sub.example.co.uk", "jürgen@müller.de"])
    func realAddressesAreAccepted(_ text: String) throws {
        #expect(try SubjectQuery(addresses: [text]).addresses.count == 1)
    }

    @Test func aOneWordNameNeedsConsent() throws {
        do {
            _ = try SubjectQuery(names: ["Anna"])
            Issue.record("a one-word name was accepted")
        } catch {
            #expect(error.description.contains("single word"))
        }
        #expect(try SubjectQuery(names: ["Anna"], allowSingleWordNames: true).names.count == 1)
        #expect(try SubjectQuery(names: ["Anna Berg"]).names.count == 1)
    }
}
