import Foundation
import Testing

@testable import MailParsing

/// Content-Type / Content-Disposition parameters, RFC 2045 and RFC 2231 (HeaderParameters).
@Suite("MIME parameters")
struct HeaderParametersTests {
    private func params(_ value: String) -> HeaderParameters {
        HeaderParameters.parse(ArraySlice(Array(value.utf8)))
    }

    @Test("token and quoted values, names lower-cased, first occurrence wins")
    func basics() {
        let p = params(" text/plain; Charset=\"UTF-8\"; format=flowed; charset=latin1")
        #expect(p.value == "text/plain")
        #expect(p.parameters == ["charset": "UTF-8", "format": "flowed"])
        #expect(params("attachment; filename=\"a \\\"b\\\".txt\"").parameters["filename"] == "a \"b\".txt")
    }

    @Test("folded values, stray and doubled semicolons, names without value")
    func sloppyLists() {
        let p = params("multipart/mixed;;\r\n\tboundary=\"x\";\r\n ; flag; type=a")
        #expect(p.value == "multipart/mixed")
        #expect(p.parameters == ["boundary": "x", "type": "a"])
    }

    @Test("RFC 2231: charset and language, percent escapes")
    func extendedValue() {
        let p = params("attachment; filename*=utf-8'en'%E2%82%AC%20rates.txt")
        #expect(p.parameters["filename"] == "€ rates.txt")
        #expect(params("attachment; filename*=iso-8859-1''caf%E9").parameters["filename"] == "café")
        #expect(params("attachment; filename*=''plain").parameters["filename"] == "plain")
    }

    @Test("RFC 2231 continuations, encoded and plain sections mixed, out of order")
    func continuations() {
        let p = params(
            "message/external-body; access-type=URL;\r\n URL*1=\"cs.utk.edu/pub/moore/\"; URL*0=\"ftp://\";\r\n URL*2=\"bulk-mailer/bulk-mailer.tar\"")
        #expect(p.parameters["url"] == "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar")
        let q = params("attachment; filename*0*=utf-8''%E6%97%A5%E6; filename*1*=%9C%AC; filename*2=\".txt\"")
        #expect(q.parameters["filename"] == "日本.txt")
    }

    @Test("an extended value wins over the plain one")
    func extendedWins() {
        let p = params("attachment; filename=\"fallback.txt\"; filename*=utf-8''%C3%A9.txt")
        #expect(p.parameters["filename"] == "é.txt")
    }

    @Test("RFC 2047 encoded-words in values (a common violation), quoted or not")
    func encodedWordValues() {
        #expect(params("attachment; filename=\"=?utf-8?B?VGhpcyBpcyBhIHRlc3QucGRm?=\"").parameters["filename"] == "This is a test.pdf")
        #expect(params("text/plain; name==?koi8-r?B?89DJ08/LLmRvYw==?=").parameters["name"] == "Список.doc")
    }

    @Test("unquoted values with spaces, a missing closing quote, raw 8-bit")
    func brokenValues() {
        #expect(params("attachment; filename=This is a test.txt").parameters["filename"] == "This is a test.txt")
        #expect(params("text/html; charset=\"UTF-8Return-Path: x").parameters["charset"] == "UTF-8Return-Path: x")
        let raw = Array("attachment; filename=\"caf".utf8) + [0xE9] + Array(".txt\"".utf8)
        #expect(HeaderParameters.parse(ArraySlice(raw)).parameters["filename"] == "café.txt")
    }

    @Test("file names in a message: RFC 2231 continuations, charsets and languages, encoded-words")
    func messageFilenames() throws {
        let m = try fixture("rfc2231-parameters.eml")
        #expect(m.leafParts.map(\.filename) == [
            "請求書の控え.pdf",  // filename*0*=utf-8''…; filename*1*=…; filename*2=".pdf"
            "Протокол.doc",  // a KOI8-R encoded-word inside quotes
            "Prüfbericht.txt",  // filename*=iso-8859-1'de'…
            "Jahresabschluss 2023.xlsx",  // plain continuations, one on a folded line
            nil,
        ])
        #expect(m.leafParts[1].contentType.parameters["name"] == "Протокол.doc")
        let external = try #require(m.leafParts.last)
        #expect(external.contentType.essence == "message/external-body")
        #expect(external.contentType.parameters["access-type"] == "URL")
        #expect(external.contentType.parameters["url"] == "https://files.werkstatt.example/archiv/2024/bericht.pdf")
        #expect(m.defects.isEmpty)
    }
}
