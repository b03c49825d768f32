import Glibc
import Testing

@testable import LogAnonymization

/// The IP parser agrees with the C library's `inet_pton`, which the check after writing uses,
/// once the octets' leading zeros are dropped (privctl reads `078` as 78, as padded logs mean it).
@Suite struct IPAddressTextTests {
    /// `text` without the leading zeros of its octets and groups, as ``EditCheck`` gives it to `inet_pton`.
    static func unpadded(_ text: String) -> String {
        var out = ""
        var atStart = true
        let characters = Array(text)
        for (i, c) in characters.enumerated() {
            if atStart, c == "0", i + 1 < characters.count, characters[i + 1].isNumber { continue }
            atStart = c == "." || c == ":"
            out.append(c)
        }
        return out
    }

    static func pton6(_ text: String) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 16)
        let ok = bytes.withUnsafeMutableBytes { inet_pton(AF_INET6, text, $0.baseAddress) }
        return ok == 1 ? bytes : nil
    }

    static func pton4(_ text: String) -> UInt32? {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1 ? UInt32(bigEndian: address.s_addr) : nil
    }

    static func parse6(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p in
            IPAddressText.parseIPv6(p, from: 0, to: p.count).map { $0.groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }
        }
    }

    static func parse4(_ text: String) -> UInt32? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p in
            IPAddressText.parseIPv4(p, from: 0, limit: p.count).flatMap { $0.end == p.count ? $0.value : nil }
        }
    }

    static let samples6 = [
        "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::8", "2001:db8::1",
        "2001:DB8:0:0:0:0:0:1", "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:1.2.3.4", "::1.2.3.4",
        "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4", "1::2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
        ":1::", "1:", ":", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::ffff:1.2.3",
        "::ffff:01.2.3.4", "::ffff:1.2.3.256", "g::1", "1:2:3:4:5:6:7", "fe80::1c2d:3eff:fe4f:5a6b", "0:0::0:0",
        "::0:0:0:0:0:0:0", "::0:0:0:0:0:0", "a:b:c:d:e:f:0:1",
    ]

    @Test(arguments: samples6)
    func ipv6ParsingMatchesInetPton(_ text: String) {
        #expect(Self.parse6(text) == Self.pton6(Self.unpadded(text)), "\(text)")
    }

    @Test(arguments: [
        "0.0.0.0", "1.2.3.4", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3",
        "192.168.001.1", "9.9.9.9", "1.2.3.04", "078.046.198.129", "000.1.1.1", "1.2.3.256",
    ])
    func ipv4ParsingMatchesInetPton(_ text: String) {
        #expect(Self.parse4(text) == Self.pton4(Self.unpadded(text)), "\(text)")
    }

    @Test func randomAddressesRoundTripThroughRFC5952Text() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            // Runs of zero groups, so `::` is exercised.
            let groups: [UInt16] = (0..<8).map { _ in Bool.random(using: &generator) ? 0 : UInt16.random(in: 0...0xFFFF, using: &generator) }
            let text = IPAddressText.IPv6(groups: groups, dottedTailStart: nil).text
            #expect(Self.parse6(text) == groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, "\(text)")
            // inet_ntop writes the same RFC 5952 text (except for its IPv4-mapped forms).
            var bytes = groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            var out = [CChar](repeating: 0, count: 64)
            _ = inet_ntop(AF_INET6, &bytes, &out, 64)
            let reference = String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !reference.contains(".") { #expect(text == reference) }
        }
    }

    @Test func truncation() {
        let options = AnonymizationOptions()
        #expect(IPAddressText.replacement(ipv4: Self.pton4("78.46.198.123")!, options: options) == "78.46.198.0")
        #expect(IPAddressText.replacement(ipv4: Self.pton4("78.46.198.0")!, options: options) == nil)
        #expect(IPAddressText.replacement(ipv4: Self.pton4("127.0.0.1")!, options: options) == nil)
        let bytes = Array("2a02:8108:1234:5600:d4e1::1".utf8)
        let address = bytes.withUnsafeBufferPointer { IPAddressText.parseIPv6($0, from: 0, to: $0.count)! }
        #expect(IPAddressText.replacement(ipv6: address, options: options) == "2a02:8108:1234::")
        #expect(IPAddressText.replacement(ipv6: address, options: AnonymizationOptions(ipv6Prefix: 56)) == "2a02:8108:1234:5600::")
        #expect(IPAddressText.replacement(ipv6: address, options: AnonymizationOptions(ipv6Prefix: 52)) == "2a02:8108:1234:5000::")
    }

    @Test func optionsAreChecked() {
        #expect(AnonymizationOptions().problem == nil)
        #expect(AnonymizationOptions(ipv4Prefix: 33).problem != nil)
        #expect(AnonymizationOptions(ipv4Prefix: 20, ipv4Style: .mask).problem?.contains("multiple") == false)
        #expect(AnonymizationOptions(ipv4Prefix: 20, ipv4Style: .mask).problem != nil)
        #expect(AnonymizationOptions(ipv6Prefix: 129).problem != nil)
        for token in ["", "a b", "x@y", "<x>", "a,b", "%40", "-", String(repeating: "x", count: 65), "ü"] {
            #expect(AnonymizationOptions(addressToken: token).problem != nil, "\(token)")
        }
        #expect(AnonymizationOptions(addressToken: "REDACTED").problem == nil)
        #expect(AnonymizationOptions(addressToken: "[anon]").problem == nil)
    }
}
