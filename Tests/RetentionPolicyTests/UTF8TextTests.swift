import Testing

@testable import RetentionPolicy

/// The byte checks the body search makes instead of building strings.
@Suite struct UTF8TextTests {
    static let samples: [[UInt8]] = [
        [], Array("plain ASCII text that is longer than eight bytes".utf8), Array("Grüße, Löschung: ß €".utf8),
        Array("🚀 emoji and 日本語".utf8), [0xC3], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF0, 0x8F, 0xBF, 0xBF], [0xFF], Array("abcdefgh".utf8) + [0x80] + Array("ijk".utf8),
    ]

    @Test func validityAsStringValidatingSeesIt() {
        for bytes in UTF8TextTests.samples {
            let valid = bytes.withUnsafeBufferPointer { UTF8Text.isValid($0) }
            #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }

    @Test func asciiPrefix() {
        for bytes in UTF8TextTests.samples {
            let count = bytes.withUnsafeBufferPointer { UTF8Text.asciiPrefixCount($0) }
            #expect(count == (bytes.firstIndex { $0 >= 0x80 } ?? bytes.count))
        }
    }

    @Test func latin1() {
        let bytes: [UInt8] = [0x47, 0x72, 0xFC, 0xDF, 0x65, 0xA0, 0xFF]
        #expect(UTF8Text.fromLatin1(bytes) == Array("Grüße\u{A0}ÿ".utf8))
    }
}
