import Foundation
import Testing

@testable import PrivacyEvents

/// The Bloom filter the scrub index keeps of everyone an archive names.
@Suite struct PseudonymFilterTests {
    let key = PseudonymKey(bytes: Array(repeating: 7, count: 32))

    @Test func holdsEveryPseudonymPutInAndFewOthers() {
        let members = (0..<2_000).map { key.pseudonym(for: "person\($0)@example.org") }
        let filter = PseudonymFilter(members)
        #expect(members.allSatisfy(filter.mayContain))
        let strangers = (0..<10_000).map { key.pseudonym(for: "stranger\($0)@example.net") }
        let falsePositives = strangers.filter(filter.mayContain).count
        #expect(falsePositives < 300, "\(falsePositives) of 10,000 strangers match: more than about 1 % expected")
        // An empty filter holds no one.
        #expect(!PseudonymFilter([]).mayContain(members[0]))
    }

    @Test func survivesItsBytesAndRefusesOthers() throws {
        var filter = PseudonymFilter(capacity: 10)
        filter.insert(key.pseudonym(for: "alice@example.org"))
        let back = try #require(PseudonymFilter(bytes: filter.bytes))
        #expect(back == filter)
        #expect(back.mayContain(key.pseudonym(for: "alice@example.org")))
        #expect(PseudonymFilter(bytes: []) == nil)
        #expect(PseudonymFilter(bytes: [1, 2, 3]) == nil)
        // A value that is not a pseudonym's hex does not trap.
        filter.insert(Pseudonym(rawValue: "not hex ✓"))
        #expect(filter.mayContain(Pseudonym(rawValue: "not hex ✓")))
    }
}
