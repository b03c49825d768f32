/// The changes to one log line: which byte ranges are replaced, by what, and why.
public struct LineEdits: Sendable {
    /// One replaced range of the line.
    public struct Edit: Sendable, Equatable {
        /// What the replaced bytes were.
        public enum Kind: String, Sendable {
            /// A mail address (`anna@example.org`, `anna%40example.org`).
            case address
            /// A login name in a field that holds one (`sasl_username=anna`, `user=<anna>`,
            /// Dovecot's `imap(anna)`, the user of a web access log line).
            case login
            /// An IPv4 or IPv6 address (for `::ffff:1.2.3.4` only the IPv4 part).
            case ip
        }

        /// The first replaced byte of the line.
        public var start: Int
        /// The byte after the last replaced one.
        public var end: Int
        public var kind: Kind
        /// Where the replacement is in ``LineEdits/replacementBytes``.
        public var replacementStart: Int
        public var replacementEnd: Int
    }

    /// The edits, sorted by position, not overlapping.
    public internal(set) var edits: [Edit] = []
    /// The replacement texts, one after another.
    public internal(set) var replacementBytes: [UInt8] = []
    /// Whether the line was left as it is because it is not text (it holds a NUL byte).
    public internal(set) var unparsed = false

    /// Scratch space for the scanner, kept between lines so a line costs no allocation.
    var tokenSpans: [Edit] = []
    var ipEdits: [Edit] = []

    public init() {}

    mutating func removeAll() {
        edits.removeAll(keepingCapacity: true)
        replacementBytes.removeAll(keepingCapacity: true)
        tokenSpans.removeAll(keepingCapacity: true)
        ipEdits.removeAll(keepingCapacity: true)
        unparsed = false
    }

    /// The replacement of one edit.
    public func replacement(_ edit: Edit) -> ArraySlice<UInt8> { replacementBytes[edit.replacementStart..<edit.replacementEnd] }

    /// How many edits are of a kind.
    public func count(_ kind: Edit.Kind) -> Int { edits.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) } }

    /// Appends `line` with the edits applied to `output`.
    public func apply(to line: UnsafeBufferPointer<UInt8>, appendingTo output: inout [UInt8]) {
        var position = 0
        for edit in edits {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: line[position..<edit.start]))
            output.append(contentsOf: replacementBytes[edit.replacementStart..<edit.replacementEnd])
            position = edit.end
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: line[position..<line.count]))
    }
}
