/// The canonical JSON of a ``PrivacyEvent``: keys sorted, no insignificant white space, absent
/// values left out, non-ASCII text as UTF-8.
///
/// Written by hand rather than with `JSONEncoder` because the ledger encodes one payload per
/// event on the write path (a first `classify` of a large store writes one retain event per
/// message), and because the hash chain must not depend on how a Foundation version orders or
/// escapes. Any standard JSON decoder reads it back.
enum CanonicalJSON {
    static func encode(_ event: PrivacyEvent) -> String {
        var out = JSONObjectWriter()
        out.string("dataCategory", event.dataCategory)
        out.object("details") { details in
            for key in event.details.keys.sorted() { details.string(named: key, event.details[key]!) }
        }
        out.string("host", event.host)
        out.string("id", event.id.rawValue)
        if let keepUntil = event.keepUntil { out.string("keepUntil", keepUntil.description) }
        out.string("kind", event.kind.rawValue)
        out.object("legalBasis") { basis in
            basis.string("lawfulBasis", event.legalBasis.lawfulBasis.rawValue)
            if let law = event.legalBasis.retentionLaw { basis.string("retentionLaw", law) }
        }
        if let duty = event.legalDuty { out.bool("legalDuty", duty) }
        out.object("location") { location in
            if let hash = event.location.contentHash { location.string("contentHash", hash) }
            if let item = event.location.item { location.string("item", item) }
            if let id = event.location.messageID { location.string("messageID", id) }
            if let hash = event.location.messageIDHash { location.string("messageIDHash", hash) }
            location.string("store", event.location.store)
        }
        out.string("purpose", event.purpose)
        if let recipient = event.recipient { out.string("recipient", recipient) }
        out.strings("subjects", event.subjects.lazy.map(\.rawValue))
        out.string("time", EventChain.timestamp(event.time))
        return out.finish()
    }
}

/// Appends one JSON object's members in the order given, as UTF-8 bytes into one buffer (nested
/// objects too): a first `classify` encodes two events per message, and appending to a `String`
/// piece by piece cost more than everything else the encoding does.
struct JSONObjectWriter {
    private var bytes: [UInt8] = []
    private var empty = true

    init() {
        bytes.reserveCapacity(1024)
        bytes.append(UInt8(ascii: "{"))
    }

    /// A member's name: one of the names above, none of which needs escaping.
    private mutating func key(_ name: StaticString) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A member's name given at run time (a detail's), escaped as any string.
    private mutating func key(_ name: String) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        JSONText.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        JSONText.appendQuoted(value, to: &bytes)
    }

    /// A member named at run time (a detail).
    mutating func string(named name: String, _ value: String) {
        key(name)
        JSONText.appendQuoted(value, to: &bytes)
    }

    mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        value ? bytes.append(contentsOf: "true".utf8) : bytes.append(contentsOf: "false".utf8)
    }

    mutating func strings(_ name: StaticString, _ values: some Sequence<String>) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            JSONText.appendQuoted(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A member whose value is an object, its members written by `body` into the same buffer.
    mutating func object(_ name: StaticString, _ body: (inout JSONObjectWriter) -> Void) {
        key(name)
        bytes.append(UInt8(ascii: "{"))
        empty = true
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        empty = false
    }

    /// The object, closed.
    consuming func finish() -> String {
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// JSON string literals, written the same way everywhere privctl writes JSON.
public enum JSONText {
    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or
    /// `\u00XX`, everything else as is.
    public static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        var plain = true
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
        if plain {
            text += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case let c where c.value < 0x20:
                    let hex = String(c.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }

    /// ``appendQuoted(_:to:)-(_,String)`` into UTF-8 bytes: the same literal, byte for byte. (A
    /// scalar past ASCII is bytes of 0x80 and up in UTF-8, which are never escaped: escaping byte
    /// by byte escapes what escaping scalar by scalar does.)
    public static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plainFrom = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                plainFrom = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22, 0x5C: bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let digits: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value` as a JSON string literal.
    public static func quote(_ value: String) -> String {
        var text = ""
        appendQuoted(value, to: &text)
        return text
    }
}
