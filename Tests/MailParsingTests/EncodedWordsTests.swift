import Foundation
import Testing

@testable import MailParsing

/// RFC 2047 encoded-words in unstructured text (EncodedWords, DecodedText).
@Suite("Encoded-words")
struct EncodedWordsTests {
    private func decode(_ text: String) -> String {
        EncodedWords.decodeUnstructured(ArraySlice(Array(text.utf8)))
    }

    @Test(
        "B encoding in each supported charset",
        arguments: [
            ("utf-8", "R3LDvMOfZSwg5pel5pys", "Grüße, 日本"),
            ("ISO-8859-1", "R3L832U=", "Grüße"),
            ("iso-8859-15", "pCC8dXZyZQ==", "€ Œuvre"),
            ("windows-1252", "k3F1b3RlZJQgliCA", "“quoted” – €"),
            ("us-ascii", "cGxhaW4=", "plain"),
            ("ISO-2022-JP", "GyRCJUYlOSVIGyhC", "テスト"),
            ("Shift_JIS", "k/qWe4zq", "日本語"),
            ("EUC-JP", "xvzL3Ljs", "日本語"),
            ("KOI8-R", "8NLJ18XU", "Привет"),
            ("gb2312", "xOO6ww==", "你好"),
            ("big5", "p0Gmbg==", "你好"),
            ("windows-1251", "z/Do4uXy", "Привет"),
            ("iso-8859-2", "o/NkvA==", "Łódź"),
            ("euc-kr", "x9Gxub7u", "한국어"),
            ("iso-8859-7", "xevr3OTh", "Ελλάδα"),
        ])
    func bEncoding(charset: String, payload: String, expected: String) {
        #expect(decode("=?\(charset)?B?\(payload)?=") == expected)
    }

    @Test("Q encoding: underscores, escapes in either case, a bad escape kept")
    func qEncoding() {
        #expect(decode("=?iso-8859-1?q?caf=E9_cr=e8me?=") == "café crème")
        #expect(decode("=?utf-8?Q?a=ZZb?=") == "a=ZZb")
        #expect(decode("=?utf-8?Q??=") == "")
    }

    @Test("RFC 2047 §8 examples: white space between encoded-words disappears, elsewhere it stays")
    func rfc2047Examples() {
        #expect(decode("(=?ISO-8859-1?Q?a?=)") == "(a)")
        #expect(decode("(=?ISO-8859-1?Q?a?= b)") == "(a b)")
        #expect(decode("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)") == "(ab)")
        #expect(decode("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)") == "(ab)")
        #expect(decode("(=?ISO-8859-1?Q?a?=\t  =?ISO-8859-1?Q?b?=)") == "(ab)")
        #expect(decode("(=?ISO-8859-1?Q?a_b?=)") == "(a b)")
        #expect(decode("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)") == "(a b)")
        #expect(decode("plain =?utf-8?q?x?= text") == "plain x text")
    }

    @Test("a character split between two encoded-words is joined before charset decoding")
    func splitCharacters() {
        #expect(decode("=?utf-8?B?5pel5g==?= =?UTF-8?B?nKw=?=") == "日本")
        #expect(decode("=?shift_jis?B?k/qW?= =?shift_jis?B?e4zq?=") == "日本語")
        // ISO-2022-JP words each return to ASCII; joined or not they decode.
        #expect(decode("=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?= =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=") == "テストテスト")
    }

    @Test("unknown charsets degrade to UTF-8, then Latin-1, never fail")
    func unknownCharset() {
        #expect(decode("=?x-unknown?Q?caf=C3=A9?=") == "café")
        #expect(decode("=?fakescii?Q?caf=E9?=") == "café")
        #expect(decode("=?utf-8?Q?bad=FF=FEbytes?=").contains("bad"))
    }

    @Test("lower-case b/q, RFC 2231 language suffix, encoded-words touching text")
    func leniency() {
        #expect(decode("=?utf-8?b?w6k=?=") == "é")
        #expect(decode("=?utf-8*en?q?hello?=") == "hello")
        #expect(decode("abc=?utf-8?q?d?=") == "abcd")
        #expect(decode("=?utf-8?q?d?=efg") == "defg")
        #expect(decode("=?utf-8?q?with space?=") == "with space")
    }

    @Test("malformed encoded-words stay literal text")
    func malformed() {
        #expect(decode("=?utf-8?x?abc?=") == "=?utf-8?x?abc?=")
        #expect(decode("=?utf-8?q?unterminated") == "=?utf-8?q?unterminated")
        #expect(decode("=??q?abc?=") == "=??q?abc?=")
        #expect(decode("a =? b ?= c") == "a =? b ?= c")
    }

    @Test("decoded text is not decoded twice")
    func noRecursion() {
        // =?utf-8?q?=3D=3Futf-8=3Fq=3Fx=3F=3D?= decodes to the text of an encoded-word.
        #expect(decode("=?utf-8?q?=3D=3Futf-8=3Fq=3Fx=3F=3D?=") == "=?utf-8?q?x?=")
    }

    @Test("thousands of unterminated `=?` stay linear")
    func unterminatedMany() {
        let text = String(repeating: "=?utf-8?q?a ", count: 20_000)
        var out = ""
        let elapsed = seconds { out = decode(text) }
        #expect(out == text)
        #expect(elapsed < 5, "took \(elapsed) s")
    }

    @Test("a 210 KB folded Subject of Q encoded-words decodes in linear time")
    func hugeSubject() throws {
        let words = (0..<4_800).map { "=?utf-8?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln_\($0)?=" }
        let bytes = mail("From: a@x\nSubject: " + words.joined(separator: "\n ") + "\n\nbody\n", crlf: true)
        #expect(bytes.count > 210_000)
        var subject: String?
        let elapsed = try seconds { subject = try MailMessage(bytes: bytes).subject }
        let s = try #require(subject)
        #expect(s.count > 50_000)
        #expect(!s.contains("=?"))
        #expect(s.contains("ü") || s.contains("ä") || s.contains("ö"))
        #expect(elapsed < 5, "took \(elapsed) s")
    }
}
