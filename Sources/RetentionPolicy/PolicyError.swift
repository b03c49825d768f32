/// A policy file that cannot be used, located by file and line: "policy.yaml:14: category
/// "invoice" has unknown key "perod" (did you mean "period"?)".
///
/// The loader stops at the first problem, so the user fixes one line at a time, the way a
/// compiler's first error is the one to read.
public struct PolicyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is, for callers that react to some kinds differently.
    public enum Kind: String, Hashable, Sendable {
        /// The file could not be read.
        case unreadable
        /// The text is not YAML.
        case syntax
        /// A key that the schema does not know.
        case unknownKey
        /// A key that must be there is not.
        case missingKey
        /// A value of the wrong shape or out of range.
        case invalidValue
        /// An id used twice.
        case duplicateID
        /// An id that is not kebab-case.
        case invalidID
        /// A rule that names a category the policy does not define.
        case unknownCategory
        /// A condition that the classifier does not know.
        case unknownCondition
        /// A legal basis that is not one of GDPR Art. 6(1)(a)–(f).
        case unknownBasis
    }

    /// The policy file as the user named it ("policy.yaml", "<built-in>").
    public var file: String
    /// The 1-based line of the problem, or nil when it concerns the whole file.
    public var line: Int?
    /// The kind of problem.
    public var kind: Kind
    /// One sentence saying what is wrong, without the location.
    public var message: String

    /// "FILE:LINE: message" (or "FILE: message" without a line).
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
