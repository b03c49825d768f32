import Foundation

/// Turns bytes in a MIME charset into text.
///
/// The charsets mail really uses in the West (UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15,
/// Windows-1252) are decoded here without Foundation; the rest go through Foundation's
/// `String.Encoding` (ICU on Linux). A charset nobody knows, or bytes that are not valid in the
/// declared one, never fail: they are read as UTF-8 when they are valid UTF-8, else as Latin-1,
/// so that no byte is lost.
enum Charset {
    /// Decodes `bytes` declared to be in `name` (a MIME charset label, any case; nil = unknown).
    static func decode<C: Collection<UInt8>>(_ bytes: C, charset name: String?) -> String {
        strictDecode(bytes, charset: name) ?? fallback(bytes)
    }

    /// Decodes with the declared charset only; nil when the charset is unknown or the bytes are
    /// not valid in it (single-byte charsets always succeed).
    static func strictDecode<C: Collection<UInt8>>(_ bytes: C, charset name: String?) -> String? {
        switch kind(of: name) {
        case .utf8, .asciiOrUnknown:
            return utf8(bytes)
        case .latin1:
            return latin1(bytes)
        case .latin9:
            return singleByte(bytes, high: latin9Upper)
        case .windows1252:
            return singleByte(bytes, high: windows1252Upper)
        case .foundation(let encoding):
            return String(bytes: Array(bytes), encoding: encoding)
        case .eucJP:
            // Foundation on Linux has no EUC-JP; the same characters in ISO-2022-JP-1 it reads.
            return String(bytes: eucJPAsISO2022JP(Array(bytes)), encoding: String.Encoding(rawValue: 0x8000_0822))
        }
    }

    /// Whether Foundation or the built-in tables know this charset label.
    static func isKnown(_ name: String) -> Bool {
        if case .asciiOrUnknown = kind(of: name) {
            let key = normalized(name)
            return asciiNames.contains(key)
        }
        return true
    }

    /// The reading for unlabelled or mislabelled bytes: UTF-8 when they are UTF-8 (also when a
    /// few bytes are broken, which then become U+FFFD), otherwise Latin-1.
    ///
    /// "Latin-1" here reads 0x80-0x9F as Windows-1252 does (`…`, `€`, curly quotes): those C1
    /// control codes never mean themselves in mail, while Windows-1252 text labelled as nothing
    /// or as ISO-8859-1 is everywhere.
    static func fallback<C: Collection<UInt8>>(_ bytes: C) -> String {
        if let s = utf8(bytes) { return s }
        if looksLikeUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return singleByte(bytes, high: windows1252Upper)
    }

    /// The bytes as a string when they are valid UTF-8, else nil.
    ///
    /// ASCII, what nearly every header holds, is checked eight bytes at a time and then taken
    /// by `String(decoding:)`, which costs a fraction of `String(validating:)`.
    static func utf8<C: Collection<UInt8>>(_ bytes: C) -> String? {
        let ascii = bytes.withContiguousStorageIfAvailable { buffer -> String? in
            ASCII.isASCII(buffer) ? String(decoding: buffer, as: UTF8.self) : nil
        }
        if let ascii, let ascii { return ascii }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether bytes that are not valid UTF-8 still hold at least as many well-formed multi-byte
    /// UTF-8 sequences as stray bytes (UTF-8 text with damage, not a legacy charset).
    private static func looksLikeUTF8<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var sequences = 0
        var stray = 0
        var it = bytes.makeIterator()
        var pending: UInt8? = nil
        while let b = pending ?? it.next() {
            pending = nil
            guard b >= 0x80 else { continue }
            let length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0
            guard length > 0 else { stray += 1; continue }
            var ok = true
            for _ in 1..<length {
                guard let c = it.next() else { ok = false; break }
                if c & 0xC0 != 0x80 {
                    ok = false
                    pending = c
                    break
                }
            }
            if ok { sequences += 1 } else { stray += 1 }
        }
        return sequences > 0 && sequences >= stray
    }

    /// EUC-JP re-expressed as ISO-2022-JP-1 (a reversible byte mapping: JIS X 0208 and 0212 in
    /// two bytes with the high bits cleared, half-width katakana in the JIS X 0201 set).
    private static func eucJPAsISO2022JP(_ bytes: [UInt8]) -> [UInt8] {
        enum Set { case ascii, jis0208, jis0212, katakana }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var current = Set.ascii
        func switchTo(_ set: Set) {
            guard set != current else { return }
            switch set {
            case .ascii: out += [0x1B, 0x28, 0x42]
            case .jis0208: out += [0x1B, 0x24, 0x42]
            case .jis0212: out += [0x1B, 0x24, 0x28, 0x44]
            case .katakana: out += [0x1B, 0x28, 0x49]
            }
            current = set
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x8E, i + 1 < bytes.count {
                switchTo(.katakana)
                out.append(bytes[i + 1] & 0x7F)
                i += 2
            } else if b == 0x8F, i + 2 < bytes.count {
                switchTo(.jis0212)
                out += [bytes[i + 1] & 0x7F, bytes[i + 2] & 0x7F]
                i += 3
            } else if b >= 0xA1, i + 1 < bytes.count {
                switchTo(.jis0208)
                out += [b & 0x7F, bytes[i + 1] & 0x7F]
                i += 2
            } else {
                switchTo(.ascii)
                out.append(b)
                i += 1
            }
        }
        switchTo(.ascii)
        return out
    }

    static func latin1<C: Collection<UInt8>>(_ bytes: C) -> String {
        singleByte(bytes, high: latin1Upper)
    }

    /// Decodes a single-byte charset given the scalars of its upper half (0x80-0xFF, in order),
    /// writing the UTF-8 directly: ASCII text costs one check and one copy.
    private static func singleByte<C: Collection<UInt8>>(_ bytes: C, high: [UInt32]) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ singleByte(buffer: $0, high: high) }) { return s }
        return Array(bytes).withUnsafeBufferPointer { singleByte(buffer: $0, high: high) }
    }

    private static func singleByte(buffer: UnsafeBufferPointer<UInt8>, high: [UInt32]) -> String {
        if ASCII.isASCII(buffer) { return String(decoding: buffer, as: UTF8.self) }
        return high.withUnsafeBufferPointer { table in
            var length = 0
            for b in buffer {
                length += b < 0x80 ? 1 : table[Int(b) - 0x80] < 0x800 ? 2 : 3
            }
            return String(unsafeUninitializedCapacity: length) { out in
                var n = 0
                for b in buffer {
                    if b < 0x80 {
                        out[n] = b
                        n += 1
                        continue
                    }
                    let v = table[Int(b) - 0x80]
                    if v < 0x800 {
                        out[n] = UInt8(0xC0 | (v >> 6))
                        out[n + 1] = UInt8(0x80 | (v & 0x3F))
                        n += 2
                    } else {
                        out[n] = UInt8(0xE0 | (v >> 12))
                        out[n + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                        out[n + 2] = UInt8(0x80 | (v & 0x3F))
                        n += 3
                    }
                }
                return n
            }
        }
    }

    /// The upper half of a single-byte charset: Latin-1 with the given positions replaced.
    private static func upperHalf(_ replacements: [UInt8: UInt32]) -> [UInt32] {
        (0x80...0xFF).map { b in replacements[UInt8(b)] ?? UInt32(b) }
    }

    private static let latin1Upper = upperHalf([:])

    enum Kind {
        case utf8, latin1, latin9, windows1252, eucJP, asciiOrUnknown
        case foundation(String.Encoding)
    }

    /// The label lower-cased with quotes, white space, `-`, `_`, `:` and `.` removed, so that
    /// `ISO_8859-1`, `iso8859-1` and `"iso-8859-1"` are one key.
    private static func normalized(_ name: String) -> String {
        var label = name
        let ascii = label.withUTF8 { bytes -> String? in
            guard ASCII.isASCII(bytes) else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                var n = 0
                for b in bytes {
                    switch b {
                    case ASCII.minus, ASCII.underscore, ASCII.space, ASCII.tab, ASCII.quote, ASCII.apostrophe, ASCII.colon,
                        ASCII.dot:
                        continue
                    case ASCII.asterisk:
                        return n  // RFC 2231 language suffix: utf-8*en
                    default:
                        out[n] = ASCII.lower(b)
                        n += 1
                    }
                }
                return n
            }
        }
        if let ascii { return ascii }
        var key = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            switch s {
            case "-", "_", " ", "\t", "\"", "'", ":", ".": continue
            default: key.append(s.properties.lowercaseMapping.unicodeScalars.first ?? s)
            }
        }
        // RFC 2231 language suffix: utf-8*en
        let string = String(key)
        if let star = string.firstIndex(of: "*") { return String(string[..<star]) }
        return string
    }

    private static let asciiNames: Set<String> = [
        "usascii", "ascii", "us", "ansix341968", "iso646us", "csascii", "ibm367", "cp367",
    ]

    /// Whether a label names US-ASCII.
    static func isASCIILabel(_ name: String) -> Bool { asciiNames.contains(normalized(name)) }

    static func kind(of name: String?) -> Kind {
        guard let name else { return .asciiOrUnknown }
        let key = normalized(name)
        switch key {
        case "utf8", "unicode11utf8", "unicode20utf8", "xunicode20utf8", "utf8bom": return .utf8
        case "iso88591", "latin1", "l1", "cp819", "ibm819", "iso885911987", "isoir100", "csisolatin1":
            return .latin1
        case "iso885915", "latin9", "l9", "latin0", "csisolatin9", "iso8859151998": return .latin9
        case "windows1252", "cp1252", "xcp1252", "ms1252", "winlatin1", "ansi1252": return .windows1252
        case "eucjp", "xeucjp", "cseucpkdfmtjapanese", "ujis": return .eucJP
        default: break
        }
        if asciiNames.contains(key) { return .asciiOrUnknown }
        if let code = foundationCodes[key] {
            return .foundation(String.Encoding(rawValue: 0x8000_0000 | code))
        }
        switch key {
        case "utf16": return .foundation(.utf16)
        case "utf16le": return .foundation(.utf16LittleEndian)
        case "utf16be": return .foundation(.utf16BigEndian)
        case "utf32": return .foundation(.utf32)
        case "utf32le": return .foundation(.utf32LittleEndian)
        case "utf32be": return .foundation(.utf32BigEndian)
        default: return .asciiOrUnknown
        }
    }

    /// Normalised charset labels to CoreFoundation `CFStringEncoding` numbers (Foundation maps
    /// `0x8000_0000 | number` to the encoding on every platform).
    private static let foundationCodes: [String: UInt] = {
        var table: [String: UInt] = [:]
        func add(_ code: UInt, _ names: String...) { for n in names { table[n] = code } }
        add(0x0202, "iso88592", "latin2", "l2", "csisolatin2")
        add(0x0203, "iso88593", "latin3", "l3")
        add(0x0204, "iso88594", "latin4", "l4")
        add(0x0205, "iso88595", "cyrillic", "csisolatincyrillic")
        add(0x0206, "iso88596", "arabic", "iso88596i", "iso88596e")
        add(0x0207, "iso88597", "greek", "greek8")
        add(0x0208, "iso88598", "hebrew", "iso88598i", "iso88598e")
        add(0x0209, "iso88599", "latin5", "l5")
        add(0x020A, "iso885910", "latin6", "l6")
        add(0x020B, "iso885911", "tis620", "thai")
        add(0x020D, "iso885913", "latin7", "l7")
        add(0x020E, "iso885914", "latin8", "l8")
        add(0x0210, "iso885916", "latin10", "l10")
        add(0x0501, "windows1250", "cp1250", "xcp1250")
        add(0x0502, "windows1251", "cp1251", "xcp1251")
        add(0x0503, "windows1253", "cp1253")
        add(0x0504, "windows1254", "cp1254")
        add(0x0505, "windows1255", "cp1255")
        add(0x0506, "windows1256", "cp1256")
        add(0x0507, "windows1257", "cp1257")
        add(0x0508, "windows1258", "cp1258")
        add(0x0400, "cp437", "ibm437")
        add(0x0410, "cp850", "ibm850")
        add(0x0412, "cp852", "ibm852")
        add(0x041B, "cp866", "ibm866")
        add(0x041D, "cp874", "windows874")
        add(0x0A02, "koi8r", "cskoi8r", "koi8")
        add(0x0A08, "koi8u")
        add(0x0A01, "shiftjis", "sjis", "xsjis", "csshiftjis", "mskanji")
        add(0x0420, "cp932", "windows31j", "ms932")
        add(0x0820, "iso2022jp", "csiso2022jp", "jis")
        add(0x0821, "iso2022jp2")
        add(0x0822, "iso2022jp1")
        add(0x0840, "iso2022kr", "csiso2022kr")
        add(0x0830, "iso2022cn")
        // gb2312-labelled mail routinely holds GBK characters; GB 18030 reads both.
        add(0x0632, "gb2312", "euccn", "xeuccn", "csgb2312", "gb231280", "gbk", "cp936", "ms936", "gb18030", "xgbk")
        add(0x0A03, "big5", "csbig5", "xxbig5", "cnbig5", "cp950")
        add(0x0A06, "big5hkscs")
        // ks_c_5601-1987 is what Outlook calls Windows code page 949 (a superset of EUC-KR).
        add(0x0422, "euckr", "cseuckr", "ksc56011987", "ksc5601", "cp949", "uhc", "ms949", "ksc56011989")
        add(0x0000, "macintosh", "macroman", "xmacroman", "mac")
        return table
    }()

    /// ISO-8859-15 differs from Latin-1 in eight positions.
    private static let latin9Upper = upperHalf([
        0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D, 0xB8: 0x017E, 0xBC: 0x0152,
        0xBD: 0x0153, 0xBE: 0x0178,
    ])

    /// Windows-1252 0x80-0x9F; the five unassigned positions stay C1 controls (as WHATWG does).
    private static let windows1252Upper = upperHalf([
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020,
        0x87: 0x2021, 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152,
        0x8E: 0x017D, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
        0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A,
        0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ])
}

/// How a MIME charset label reads bytes, for code that works on the bytes themselves (a search
/// over decoded text) and wants to know whether they are UTF-8, Latin-1, or at least ASCII
/// where they are ASCII. Labels are compared as the decoder compares them.
public enum CharsetFamily: Sendable, Equatable {
    /// UTF-8, or no label (mail without one is read as UTF-8 first).
    case utf8OrUnlabelled
    /// ISO-8859-1 and its aliases.
    case latin1
    /// US-ASCII, ISO-8859-15, Windows-1252: ASCII bytes mean ASCII, others need the table.
    case asciiCompatible
    /// Anything else, known or not.
    case other

    public init(label: String?) {
        guard let label else {
            self = .utf8OrUnlabelled
            return
        }
        switch Charset.kind(of: label) {
        case .utf8: self = .utf8OrUnlabelled
        case .latin1: self = .latin1
        case .latin9, .windows1252: self = .asciiCompatible
        case .asciiOrUnknown: self = Charset.isASCIILabel(label) ? .asciiCompatible : .other
        case .eucJP, .foundation: self = .other
        }
    }
}
