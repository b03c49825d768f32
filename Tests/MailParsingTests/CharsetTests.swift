import Foundation
import Testing

@testable import MailParsing

/// Charset decoding and its fallbacks (Charset).
@Suite("Charsets")
struct CharsetTests {
    @Test("labels are matched loosely: case, quotes, -, _ and aliases")
    func labels() {
        let bytes: [UInt8] = [0x63, 0x61, 0x66, 0xE9]
        for label in ["ISO-8859-1", "iso8859-1", "ISO_8859-1", "\"latin1\"", "l1", "cp819"] {
            #expect(Charset.decode(bytes, charset: label) == "café", "\(label)")
        }
        #expect(Charset.isKnown("Shift_JIS"))
        #expect(Charset.isKnown("us-ascii"))
        #expect(!Charset.isKnown("fakescii"))
    }

    @Test("the Latin family decodes without Foundation")
    func latinFamily() {
        #expect(Charset.decode([0xA4], charset: "iso-8859-1") == "\u{A4}")
        #expect(Charset.decode([0xA4], charset: "iso-8859-15") == "€")
        #expect(Charset.decode([0x80, 0x93, 0x94], charset: "windows-1252") == "€“”")
        #expect(Charset.decode([0x81], charset: "windows-1252") == "\u{81}")
    }

    @Test("UTF-8 text with a few broken bytes stays UTF-8 (U+FFFD for the broken bytes)")
    func damagedUTF8() {
        let bytes = Array("Юникод".utf8) + [0xF1]
        #expect(Charset.fallback(bytes) == "Юникод\u{FFFD}")
        #expect(Charset.decode(bytes, charset: "utf-8") == "Юникод\u{FFFD}")
    }

    @Test("bytes that are not UTF-8 fall back to Latin-1, 0x80-0x9F read as Windows-1252")
    func legacyFallback() {
        #expect(Charset.fallback([0x4C, 0xFC, 0x74, 0x7A]) == "Lütz")
        #expect(Charset.fallback([0x45, 0x78, 0x85]) == "Ex…")
        #expect(Charset.decode([0xE9], charset: "us-ascii") == "é")
        #expect(Charset.decode([0xE9], charset: nil) == "é")
        #expect(Charset.decode(Array("日本".utf8), charset: "x-unknown") == "日本")
    }

    @Test("bytes invalid in a multi-byte charset fall back instead of failing")
    func invalidInCharset() {
        #expect(Charset.strictDecode([0x93], charset: "shift_jis") == nil)
        #expect(Charset.decode([0x93], charset: "shift_jis") == "“")
    }

    @Test("GB2312-labelled text with GBK characters decodes (GB 18030 superset)")
    func gbkSuperset() {
        // 0x95 0xF6 is a GBK-only character (not in GB 2312).
        #expect(Charset.decode([0xC4, 0xE3, 0x95, 0xF6], charset: "gb2312").hasPrefix("你"))
        #expect(Charset.decode([0xC4, 0xE3, 0x95, 0xF6], charset: "gb2312").count == 2)
    }

    @Test("EUC-JP, including half-width katakana, via ISO-2022-JP-1")
    func eucJP() {
        #expect(Charset.decode([0xC6, 0xFC, 0xCB, 0xDC, 0x41, 0x8E, 0xB1], charset: "euc-jp") == "日本Aｱ")
    }

    @Test("UTF-16 with a byte order mark")
    func utf16() {
        #expect(Charset.decode([0xFF, 0xFE, 0x41, 0x00, 0xE9, 0x00], charset: "utf-16") == "Aé")
    }
}

@Suite struct CharsetFamilyTests {
    @Test func labelsAreComparedAsTheDecoderComparesThem() {
        #expect(CharsetFamily(label: nil) == .utf8OrUnlabelled)
        #expect(CharsetFamily(label: "\"UTF-8\"") == .utf8OrUnlabelled)
        #expect(CharsetFamily(label: "ISO_8859-1") == .latin1)
        #expect(CharsetFamily(label: "l1") == .latin1)
        #expect(CharsetFamily(label: "us-ascii") == .asciiCompatible)
        #expect(CharsetFamily(label: "windows-1252") == .asciiCompatible)
        #expect(CharsetFamily(label: "ISO-8859-15") == .asciiCompatible)
        #expect(CharsetFamily(label: "koi8-r") == .other)
        #expect(CharsetFamily(label: "x-unknown") == .other)
    }
}
