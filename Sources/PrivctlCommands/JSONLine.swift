import PrivacyEvents

/// A JSON object built key by key, in the order given: fast enough to write a line per message
/// and stable for scripts that read it.
struct JSONLine {
    private var text = "{"
    private var first = true

    mutating func add(_ key: String, _ value: String?) { raw(key, value.map(JSONLine.quote) ?? "null") }
    mutating func add(_ key: String, _ value: Int) { raw(key, String(value)) }
    mutating func add(_ key: String, _ value: Bool) { raw(key, value ? "true" : "false") }
    mutating func add(_ key: String, _ values: [String]) {
        raw(key, "[" + values.map(JSONLine.quote).joined(separator: ",") + "]")
    }

    /// Adds an already encoded JSON value.
    mutating func raw(_ key: String, _ json: String) {
        if !first { text += "," }
        first = false
        text += JSONLine.quote(key) + ":" + json
    }

    var string: String { text + "}" }

    /// A JSON string literal.
    static func quote(_ value: String) -> String { JSONText.quote(value) }
}
