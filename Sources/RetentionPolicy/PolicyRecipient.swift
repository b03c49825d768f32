import PrivacyEvents

/// A recipient of personal data in the policy's register (GDPR Art. 30(1)(d)): a processor
/// (a payment provider, the backup host) or a third party (a domain registry, the tax
/// adviser), with the purpose and legal basis of what it receives.
///
/// ```yaml
/// recipients:
///   - id: tax-adviser
///     name: Steuerberatung Muster & Partner
///     kind: third-party
///     purpose: Bookkeeping and annual accounts.
///     basis: art6-1-c
///     law: "AO §§ 140, 147; StBerG § 33"
///     domains: [stb-muster.de]
///     categories: [accounting-document, annual-accounts]
/// ```
///
/// Mail we send to one of its `domains` is a transfer to it (a `transfer` event naming the
/// recipient by its id, never by an address), and `privctl report` lists it for a person whose
/// data is in one of its `categories` (all categories when none are given).
public struct PolicyRecipient: Hashable, Sendable {
    /// Whether the recipient processes on the operator's behalf (Art. 28) or for itself.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case processor
        case thirdParty = "third-party"
    }

    /// Stable kebab-case identifier, recorded in transfer events.
    public var id: String
    public var name: String
    public var kind: Kind
    public var purpose: String
    public var legalBasis: LegalBasis
    /// Mail domains (lower-cased) whose addresses belong to the recipient.
    public var domains: [String]
    /// The data categories it receives; empty: any.
    public var categories: [String]

    public init(
        id: String, name: String, kind: Kind, purpose: String, legalBasis: LegalBasis, domains: [String] = [],
        categories: [String] = []
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.purpose = purpose
        self.legalBasis = legalBasis
        self.domains = domains.map { $0.lowercased() }
        self.categories = categories
    }

    /// Whether `domain` (lower-cased) or a parent domain of it is one of the recipient's.
    public func owns(domain: String) -> Bool {
        domains.contains { domain == $0 || domain.hasSuffix("." + $0) }
    }

    /// Whether it receives data of `category`.
    public func receives(category: String) -> Bool {
        categories.isEmpty || categories.contains(category)
    }
}
