/// A JSON object built key by key, in the order given: fast enough to write a line per message
/// and stable for scripts that read it.
public struct JSONLine: Sendable {
    private var text = "{"
    private var first = true

    public init() {}

    /// A field's value, for ``init(_:)``.
    public enum Value: Sendable {
        case string(String?)
        case int(Int)
        case bool(Bool)
        case strings([String])
    }

    /// An object with these fields, in this order.
    public init(_ fields: KeyValuePairs<String, Value>) {
        for (key, value) in fields {
            switch value {
            case .string(let string): add(key, string)
            case .int(let int): add(key, int)
            case .bool(let bool): add(key, bool)
            case .strings(let strings): add(key, strings)
            }
        }
    }

    public mutating func add(_ key: String, _ value: String?) { raw(key, value.map(JSONText.quote) ?? "null") }
    public mutating func add(_ key: String, _ value: Int) { raw(key, String(value)) }
    public mutating func add(_ key: String, _ value: Bool) { raw(key, value ? "true" : "false") }
    public mutating func add(_ key: String, _ values: [String]) {
        raw(key, "[" + values.map(JSONText.quote).joined(separator: ",") + "]")
    }

    /// Adds an already encoded JSON value.
    public mutating func raw(_ key: String, _ json: String) {
        if !first { text += "," }
        first = false
        text += JSONText.quote(key) + ":" + json
    }

    public var string: String { text + "}" }
}
