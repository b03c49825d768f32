/// A data subject as the ledger knows them: a keyed hash of their address, never the address.
///
/// Pseudonyms are HMAC-SHA-256 over the normalised address with a secret key that stays on the
/// operator's machines (``PseudonymKey``). The same person always gets the same pseudonym under
/// the same key, so the ledger can answer "what happened to alice@example.org?" when asked with
/// the plain address, but a reader of the ledger alone cannot tell who is in it.
public struct Pseudonym: StringIdentifier {
    /// Lower-case hex of the HMAC, 64 characters.
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
}
