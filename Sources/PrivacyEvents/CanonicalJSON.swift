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
            for key in event.details.keys.sorted() { details.string(key, event.details[key]!) }
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
        out.strings("subjects", event.subjects.map(\.rawValue))
        out.string("time", EventChain.timestamp(event.time))
        return out.finish()
    }
}

/// Appends one JSON object's members in the order given.
struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    private mutating func key(_ name: String) {
        if !empty { text += "," }
        empty = false
        JSONText.appendQuoted(name, to: &text)
        text += ":"
    }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        JSONText.appendQuoted(value, to: &text)
    }

    mutating func bool(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    mutating func strings(_ name: String, _ values: [String]) {
        key(name)
        text += "["
        for (i, value) in values.enumerated() {
            if i > 0 { text += "," }
            JSONText.appendQuoted(value, to: &text)
        }
        text += "]"
    }

    mutating func object(_ name: String, _ body: (inout JSONObjectWriter) -> Void) {
        key(name)
        var inner = JSONObjectWriter()
        body(&inner)
        text += inner.finish()
    }

    func finish() -> String { text + "}" }
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

    /// `value` as a JSON string literal.
    public static func quote(_ value: String) -> String {
        var text = ""
        appendQuoted(value, to: &text)
        return text
    }
}
