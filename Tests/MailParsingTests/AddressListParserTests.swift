import Foundation
import Testing

@testable import MailParsing

/// Address lists (AddressListParser) through `MailMessage.addresses(_:)` and directly.
@Suite("Address lists")
struct AddressListParserTests {
    private func list(_ value: String) -> [String] {
        pairs(AddressListParser.parse(ArraySlice(Array(value.utf8))))
    }

    @Test("mailboxes with and without display names")
    func basics() {
        #expect(list("a@x") == ["a@x"])
        #expect(list("John Smith <a@x>") == ["John Smith <a@x>"])
        #expect(list("\"Smith, John\" <a@x>, b@y") == ["Smith, John <a@x>", "b@y"])
        #expect(list("<a@x>") == ["a@x"])
        #expect(list("Joe Q. Public <john.q.public@example.com>") == ["Joe Q. Public <john.q.public@example.com>"])
        #expect(list("John<a@x>") == ["John <a@x>"])
    }

    @Test("groups are flattened; empty groups give nothing")
    func groups() {
        #expect(list("A Group: a@x, Bee <b@y>;") == ["a@x", "Bee <b@y>"])
        #expect(list("undisclosed-recipients:;") == [])
        #expect(list("Undisclosed recipients:") == [])
        #expect(list("x@y, G: a@x;, z@w") == ["x@y", "a@x", "z@w"])
        #expect(list("unlisted-recipients:; (no To-header on input)") == [])
        #expect(list("<Undisclosed-Recipient:@mailman.enron.com;>") == [])
    }

    @Test("comments are dropped, in names and in addr-specs")
    func comments() {
        #expect(list("(John) a@x") == ["a@x"])
        #expect(list("a@x (John Doe)") == ["a@x"])
        #expect(list("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>") == ["Pete <pete@silly.test>"])
        #expect(list("John (middle) Doe <a@x>") == ["John Doe <a@x>"])
        #expect(list("a@x (unclosed comment") == ["a@x"])
    }

    @Test("quoted local parts are unquoted when they need no quotes, kept quoted otherwise")
    func quotedLocalParts() {
        #expect(list("\"john\"@x") == ["john@x"])
        #expect(list("\"john doe\"@x") == ["\"john doe\"@x"])
        #expect(list("\"a\\\"b\"@x") == ["\"a\\\"b\"@x"])
        #expect(list("john . doe @ example . com") == ["john.doe@example.com"])
    }

    @Test("obsolete routes lose the route")
    func routes() {
        #expect(list("<@route1,@route2:a@x>") == ["a@x"])
        #expect(list("Mary <@a.example, @b.example:mary@x>") == ["Mary <mary@x>"])
        #expect(list("@develop:sblab!att!nsb") == ["sblab!att!nsb"])
    }

    @Test("the null address is <>; a mailbox without domain keeps its local part")
    func nullAndLocal() {
        #expect(list("<>") == ["<>"])
        #expect(list("MAILER DAEMON <>") == ["MAILER DAEMON <<>>"])
        #expect(list("localrecipient") == ["localrecipient"])
        #expect(list("John Smith") == ["\"John Smith\""])
    }

    @Test("encoded-word display names, also inside quotes, joined across white space")
    func encodedNames() {
        #expect(list("=?utf-8?q?J=C3=B6rg?= <j@x>") == ["Jörg <j@x>"])
        #expect(list("\"=?utf-8?q?J=C3=B6rg?=\" <j@x>") == ["Jörg <j@x>"])
        #expect(list("=?UTF-8?B?TXlTdXJ2ZXk=?=\n =?UTF-8?B?LmNvbQ==?= <s@x>") == ["MySurvey.com <s@x>"])
        #expect(list("=?utf-8?q?Doe,_John?= <j@x>") == ["Doe, John <j@x>"])
        #expect(list("=?iso-8859-1?q?M=FCller?= <m@x>, =?koi8-r?B?8NLJ18XU?= <p@x>") == ["Müller <m@x>", "Привет <p@x>"])
    }

    @Test("raw UTF-8 display names (RFC 6532)")
    func utf8Names() {
        #expect(list("Jörg Müller <j@x>") == ["Jörg Müller <j@x>"])
        #expect(list("\"日本 太郎\" <taro@example.jp>") == ["日本 太郎 <taro@example.jp>"])
    }

    @Test("broken lists degrade: missing comma, semicolons, stray brackets, unclosed <, \", (")
    func brokenLists() {
        #expect(list("a@x b@y") == ["a@x", "b@y"])
        #expect(list("a@x; b@y") == ["a@x", "b@y"])
        #expect(list("a@x,,, b@y,") == ["a@x", "b@y"])
        #expect(list("John <a@x") == ["John <a@x>"])
        #expect(list("\"John <a@x>") == ["\"John <a@x>\""])
        #expect(list("x <a@x> trailing junk") == ["x <a@x>"])
        #expect(list("a@x trailing") == ["a@x"])
        #expect(list(">") == [])
        #expect(list("") == [])
        #expect(list(" , ; ") == [])
    }

    @Test("an address used as display name: the angle address is the mailbox")
    func addressAsName() {
        #expect(list("alice@example.com <bob@example.com>") == ["alice@example.com <bob@example.com>"])
        #expect(list("Mikel@Lindsaar <raasdnil@gmail.com>") == ["Mikel@Lindsaar <raasdnil@gmail.com>"])
    }

    @Test("a display name without any address keeps its name")
    func nameWithoutAddress() {
        #expect(AddressListParser.parse(ArraySlice(Array("=?utf-8?q?Only_a_name?=".utf8))) == [MailAddress(name: "Only a name", address: "")])
    }

    @Test("every occurrence of a field counts; folded lists unfold")
    func messageLevel() throws {
        let m = try parse("From: a@x\nTo: b@y,\n\tC <c@z>\nTo: d@w\nCc: e@v\nBcc: f@u\nReply-To: g@t\nSender: h@s\nReturn-Path: <>\nDelivered-To: i@r\n\n")
        #expect(pairs(m.addresses(.to)) == ["b@y", "C <c@z>", "d@w"])
        #expect(pairs(m.addresses(.from)) == ["a@x"])
        #expect(pairs(m.addresses(.cc)) == ["e@v"])
        #expect(pairs(m.addresses(.bcc)) == ["f@u"])
        #expect(pairs(m.addresses(.replyTo)) == ["g@t"])
        #expect(pairs(m.addresses(.sender)) == ["h@s"])
        #expect(pairs(m.addresses(.returnPath)) == ["<>"])
        #expect(pairs(m.addresses(.deliveredTo)) == ["i@r"])
    }

    @Test("groups in a message: named, empty, and an empty group in angle brackets")
    func groupsInAMessage() throws {
        let m = try fixture("groups.eml")
        #expect(pairs(m.addresses(.to)) == [
            "Ida Kraus <ida@projekt.example>", "lars@projekt.example", "Ruth M. <ruth@projekt.example>", "extern@partner.example",
        ])
        #expect(m.addresses(.cc).isEmpty)
        // `<Unbekannte-Empfaenger:@mail.projekt.example;>` lists nobody.
        #expect(m.addresses(.bcc).isEmpty)
    }

    @Test("comments and folding white space wherever RFC 5322 allows them")
    func commentsInAMessage() throws {
        let m = try fixture("comments.eml")
        #expect(pairs(m.addresses(.from)) == ["Kurt Berger <kurt@berger.example>"])
        #expect(pairs(m.addresses(.to)) == ["Mia Roth <mia@berger.example>", "tom@berger.example", "Ole <ole@berger.example>"])
        #expect(m.addresses(.cc).isEmpty)
        #expect(m.date.map(MessageSummary.iso8601) == "2024-10-02T12:45:00Z")
        // In an unstructured field a comment is text.
        #expect(m.subject == "Kommentare (im Betreff bleiben sie stehen)")
    }

    @Test("address lists as careless programs write them")
    func carelessLists() throws {
        let m = try fixture("address-oddities.eml")
        // An address as display name: the mailbox is the one in angle brackets.
        #expect(m.addresses(.from) == [MailAddress(name: "info@shop.example", address: "versand@shop.example")])
        // Two mailboxes that lost their comma are still two.
        #expect(pairs(m.addresses(.to)) == ["anna@mail.example", "bert@mail.example"])
        // An unquoted `@` in a display name; an item of encoded-words only is a name without address.
        #expect(pairs(m.addresses(.cc)) == ["Kai@Home <kai@home.example>", "Nur ein Name ohne Adresse <>"])
        // An obsolete route is dropped; a UUCP-era address is kept as written.
        #expect(pairs(m.addresses(.replyTo)) == ["antwort@shop.example"])
        #expect(pairs(m.addresses(.sender)) == ["lager!versand@alt.shop.example@gw.shop.example"])
    }
}
