/// The lawful basis for processing under GDPR Art. 6(1).
public enum LawfulBasis: String, Sendable, Codable, CaseIterable {
    /// (a) consent.
    case consent = "art6-1-a"
    /// (b) performance of a contract or steps prior to entering into one.
    case contract = "art6-1-b"
    /// (c) compliance with a legal obligation (for example a retention duty).
    case legalObligation = "art6-1-c"
    /// (d) vital interests.
    case vitalInterests = "art6-1-d"
    /// (e) public task.
    case publicTask = "art6-1-e"
    /// (f) legitimate interests.
    case legitimateInterests = "art6-1-f"

    /// The citation as a lawyer writes it, for example "GDPR Art. 6(1)(c)".
    public var citation: String {
        "GDPR Art. 6(1)(" + String(rawValue.last!) + ")"
    }
}

/// Why data may be processed or must be kept: the GDPR basis and, where there is one, the
/// retention law that imposes the duty (for example "AO §147(1) Nr. 4, (3), (4)").
public struct LegalBasis: Hashable, Sendable, Codable {
    /// GDPR Art. 6(1) basis.
    public var lawfulBasis: LawfulBasis
    /// The statute that imposes or allows retention, or nil.
    public var retentionLaw: String?

    public init(_ lawfulBasis: LawfulBasis, retentionLaw: String? = nil) {
        self.lawfulBasis = lawfulBasis
        self.retentionLaw = retentionLaw
    }

    /// "GDPR Art. 6(1)(c); AO §147(1) Nr. 4".
    public var citation: String {
        [lawfulBasis.citation, retentionLaw].compactMap { $0 }.joined(separator: "; ")
    }
}
