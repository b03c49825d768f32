import PrivacyEvents
import Testing

@testable import PrivctlKit

@Suite struct HeaderPseudonymsTests {
    /// An address has an `@` of its own when one is a character by itself: an `@` that a
    /// combining mark after it makes part of another character is none (as before the ASCII
    /// addresses were looked at byte by byte).
    @Test(arguments: [
        ("alice@example.org", true), ("alice.example.org", false), ("", false), ("@", true),
        ("jürgen@example.org", true), ("a@\u{301}example.org", false), ("a\u{301}@example.org", true),
        ("a@\u{301}b@example.org", true), ("undisclosed-recipients", false),
    ])
    func anAtSignCountsWhenItIsACharacterOfItsOwn(address: String, expected: Bool) {
        #expect(PseudonymKey.hasAtSign(address) == expected)
        #expect(PseudonymKey.hasAtSign(address) == address.contains("@"))
    }
}
