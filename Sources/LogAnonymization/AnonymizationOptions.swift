/// How far IP addresses are truncated and what replaces mail addresses and login names.
///
/// The defaults keep a log useful for operations (which network, which provider) while removing
/// what names a person: IPv4 to /24 (`78.46.198.0`), IPv6 to /48, every mail address and login
/// name to `[address]`.
public struct AnonymizationOptions: Sendable, Equatable {
    /// How the removed part of an IPv4 address is written.
    public enum IPv4Style: String, Sendable, CaseIterable {
        /// Host bits set to zero: `78.46.198.0` (any prefix length).
        case zero
        /// Removed octets written as `XXX`: `78.46.198.XXX` (prefix a multiple of 8).
        case mask
    }

    /// IPv4 bits kept, 0–32 (default 24).
    public var ipv4Prefix: Int
    /// Zeros or `XXX` for the removed part (default zeros).
    public var ipv4Style: IPv4Style
    /// IPv6 bits kept, 0–128 (default 48).
    public var ipv6Prefix: Int
    /// What replaces a mail address or login name (default `[address]`).
    public var addressToken: String
    /// Lines longer than this many bytes are copied unchanged and counted as unparsed, so memory
    /// stays bounded whatever the file holds (default 1 MiB).
    public var maxLineLength: Int

    public init(
        ipv4Prefix: Int = 24, ipv4Style: IPv4Style = .zero, ipv6Prefix: Int = 48,
        addressToken: String = "[address]", maxLineLength: Int = 1 << 20
    ) {
        self.ipv4Prefix = ipv4Prefix
        self.ipv4Style = ipv4Style
        self.ipv6Prefix = ipv6Prefix
        self.addressToken = addressToken
        self.maxLineLength = maxLineLength
    }

    /// The first problem with these options, as a sentence naming the option, or nil.
    public var problem: String? {
        if !(0...32).contains(ipv4Prefix) { return "--ipv4-prefix must be 0 to 32, got \(ipv4Prefix)" }
        if ipv4Style == .mask && ipv4Prefix % 8 != 0 {
            return "--ipv4-style mask writes whole octets as XXX, so --ipv4-prefix must be 0, 8, 16, 24 or 32, got \(ipv4Prefix)"
        }
        if !(0...128).contains(ipv6Prefix) { return "--ipv6-prefix must be 0 to 128, got \(ipv6Prefix)" }
        if maxLineLength < 64 { return "the line length limit must be at least 64 bytes" }
        let token = Array(addressToken.utf8)
        if token.isEmpty || token.count > 64 { return "--address-token must be 1 to 64 characters" }
        // The token must not be found again as an address, login or field boundary, so a second
        // run changes nothing and every changed line can be checked.
        for byte in token where byte <= 0x20 || byte >= 0x7F || Self.forbiddenInToken.contains(byte) {
            return "--address-token may hold printable ASCII except white space and @ < > ( ) , ; = % \" \\ (got \"\(addressToken)\")"
        }
        if addressToken == "-" { return "--address-token cannot be \"-\", which web logs use for \"no user\"" }
        return nil
    }

    static let forbiddenInToken: [UInt8] = Array("@<>(),;=%\"\\".utf8)
}
