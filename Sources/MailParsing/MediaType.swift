/// A media type with its parameters (names lower-cased, values RFC 2231 decoded).
public struct MediaType: Hashable, Sendable {
    /// The top-level type, lower-cased (`text`).
    public var type: String
    /// The subtype, lower-cased (`plain`).
    public var subtype: String
    /// Parameters by lower-cased name; values decoded but otherwise as written (boundaries keep
    /// their case).
    public var parameters: [String: String]
    /// `type/subtype`, the form used for comparisons.
    public var essence: String { "\(type)/\(subtype)" }

    /// Creates a media type; pass lower-cased type and subtype.
    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = type; self.subtype = subtype; self.parameters = parameters
    }

    /// The charset parameter, lower-cased, or nil.
    public var charset: String? { parameters["charset"].map { $0.lowercased() } }

    /// RFC 2045's default for a part without Content-Type.
    public static let defaultText = MediaType(type: "text", subtype: "plain", parameters: ["charset": "us-ascii"])
    /// RFC 2046's default for a part of multipart/digest.
    public static let defaultDigestPart = MediaType(type: "message", subtype: "rfc822")
}
