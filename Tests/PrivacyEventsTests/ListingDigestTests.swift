import Testing

@testable import PrivacyEvents

@Suite struct ListingDigestTests {
    /// The reference vectors of the SipHash paper (key 00…0f, messages 00, 00 01, …): the
    /// message here is the bytes followed by the eight bytes of the tail word.
    @Test func sipHashMatchesTheReferenceVectors() {
        let key: (UInt64, UInt64) = (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908)
        func hash(_ bytes: [UInt8], tail: UInt64) -> UInt64 {
            var hasher = SipHash24(key: key)
            return bytes.withUnsafeBytes { hasher.hash($0, tail: tail) }
        }
        #expect(hash([], tail: 0x0706_0504_0302_0100) == 0x93f5_f579_9a93_2462)
        #expect(hash(Array(0...6), tail: 0x0e0d_0c0b_0a09_0807) == 0xa129_ca61_49be_45e5)
        // 16 bytes: two full blocks and an empty last one.
        #expect(hash(Array(0...7), tail: 0x0f0e_0d0c_0b0a_0908) == 0x3f2a_cc7f_57c2_9bdb)
    }

    @Test func theDigestIsOfTheSetNotTheOrder() {
        var a = ListingDigest(salt: (1, 2)), b = ListingDigest(salt: (1, 2))
        a.add(item: "cur/1.a:2,S", size: 10)
        a.add(item: "new/2.b", size: 20)
        b.add(item: "new/2.b", size: 20)
        b.add(item: "cur/1.a:2,S", size: 10)
        #expect(a == b)
        #expect(a.count == 2)
        var resized = ListingDigest(salt: (1, 2)), renamed = ListingDigest(salt: (1, 2))
        resized.add(item: "cur/1.a:2,S", size: 11)
        resized.add(item: "new/2.b", size: 20)
        renamed.add(item: "cur/1.a:2,RS", size: 10)
        renamed.add(item: "new/2.b", size: 20)
        #expect(resized != a)
        #expect(renamed != a)
        var salted = ListingDigest(salt: (3, 4))
        salted.add(item: "cur/1.a:2,S", size: 10)
        salted.add(item: "new/2.b", size: 20)
        #expect(salted.sum != a.sum, "another salt, another sum")
        #expect(ListingDigest(salt: a.salt, count: a.count, sum: a.sum) == a)
    }
}
