import Foundation
import Testing

@testable import PrivacyEvents

@Suite struct EventChainTests {
    @Test func payloadIsCanonicalAndRoundTrips() throws {
        let event = PrivacyEvent(
            id: EventID(rawValue: "018f0000-0000-7000-8000-000000000001"),
            time: Date(timeIntervalSince1970: 1_700_000_000.1239), host: "mx1", kind: .transfer,
            subjects: [Pseudonym(rawValue: "bb"), Pseudonym(rawValue: "aa")], dataCategory: "business-letter",
            purpose: "correspondence", legalBasis: LegalBasis(.contract), location: DataLocation(store: "/m/.Sent", item: "cur/x"),
            recipient: "denic.de", details: ["rule": "sent-outside"])
        let payload = EventChain.payload(of: event)
        #expect(payload.hasPrefix("{\"dataCategory\":\"business-letter\",\"details\":{\"rule\":\"sent-outside\"},\"host\":\"mx1\""))
        #expect(payload.contains("\"time\":\"2023-11-14T22:13:20.123Z\""))
        #expect(payload.contains("\"subjects\":[\"aa\",\"bb\"]"))
        #expect(try EventChain.event(fromPayload: payload) == event)
        #expect(EventChain.payload(of: try EventChain.event(fromPayload: payload)) == payload)
    }

    @Test func hashIsSHA256OfPreviousNewlinePayload() {
        // printf '%s\n%s' 000...0 '{}' | sha256sum
        #expect(EventChain.hash(previousHash: EventChain.genesis, payload: "{}")
            == "5649d09ed68c17156095d175eef152856c5b1a81c117c409c1e00f096aa6838e")
    }

    @Test func eventIDsAreVersion7AndTimeOrdered() {
        let a = EventID(time: Date(timeIntervalSince1970: 1_700_000_000))
        let b = EventID(time: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(a < b)
        #expect(Array(a.rawValue)[14] == "7")
        #expect(a != EventID(time: Date(timeIntervalSince1970: 1_700_000_000)))
        // RFC 9562: 8-4-4-4-12 lower-case hex, the milliseconds first, version 7, variant 10.
        #expect(a.rawValue.hasPrefix("018bcfe5-6800-7"))
        #expect(UUID(uuidString: a.rawValue)?.uuidString.lowercased() == a.rawValue)
        let variant = Array(a.rawValue)[19]
        #expect("89ab".contains(variant))
    }

    @Test func timestampsRoundTrip() {
        for t in [0.0, 1_700_000_000.5, 951_782_400.999, -86_400.25] {
            let date = Date(timeIntervalSince1970: t)
            #expect(EventChain.date(fromTimestamp: EventChain.timestamp(date))!.timeIntervalSince1970 == (t * 1000).rounded(.down) / 1000)
        }
        #expect(EventChain.timestamp(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }
}
