import Testing

@testable import PrivacyEvents

@Suite struct PseudonymListTests {
    /// Unpacking gives the pseudonyms in their order; runs of spaces and spaces at either end
    /// (a row written by hand) separate without giving empty pseudonyms.
    @Test(arguments: [
        ("", [String]()), ("aa", ["aa"]), ("aa bb", ["aa", "bb"]), ("aa bb cc", ["aa", "bb", "cc"]),
        (" aa  bb ", ["aa", "bb"]), ("   ", []), ("é ü", ["é", "ü"]),
    ])
    func unpacksBetweenSpaces(packed: String, expected: [String]) {
        #expect(PseudonymList(packed: packed).pseudonyms.map(\.rawValue) == expected)
    }

    @Test func packsAndUnpacksTheSameList() {
        let list = [Pseudonym(rawValue: String(repeating: "a", count: 64)), Pseudonym(rawValue: String(repeating: "b", count: 64))]
        #expect(PseudonymList(list).pseudonyms == list)
        #expect(PseudonymList(list).packed.utf8.count == 129)
    }
}
