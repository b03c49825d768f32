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

    /// Every member an event can have, with text that must be escaped, against the payload
    /// Python's `json.dumps(…, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` writes
    /// for it (the hash chain covers these bytes: they may never change).
    @Test func aFullPayloadIsTheCanonicalJSONByteForByte() {
        let event = PrivacyEvent(
            id: EventID(rawValue: "018f0000-0000-7000-8000-000000000002"),
            time: Date(timeIntervalSince1970: 1_700_000_000.1239), host: "mx1", kind: .retain,
            subjects: [Pseudonym(rawValue: "bb"), Pseudonym(rawValue: "aa")], dataCategory: "invoice",
            purpose: "Rechnungen \"aufbewahren\"", legalBasis: LegalBasis(.legalObligation, retentionLaw: "AO §147"),
            location: DataLocation(
                store: "/srv/mail/anna/Maildir", item: "cur/1.M1:2,S", messageID: "<a\"b@x>", messageIDHash: "m0", contentHash: "c0"),
            keepUntil: CalendarDay(year: 2034, month: 12, day: 31), legalDuty: true, recipient: "example.org",
            details: ["z": "Grüße 📨 <café@例え.jp>", "rule": "line\nbreak\rreturn\ttab\u{1}\u{1F}\u{7F}", "a\"b": "x\\y"])
        let expected = #"{"dataCategory":"invoice","details":{"a\"b":"x\\y","rule":"line\nbreak\rreturn\ttab\u0001\u001f"# + "\u{7F}"
            + #"","z":"Grüße 📨 <café@例え.jp>"},"host":"mx1","id":"018f0000-0000-7000-8000-000000000002","keepUntil":"2034-12-31","kind":"retain","legalBasis":{"lawfulBasis":"art6-1-c","retentionLaw":"AO §147"},"legalDuty":true,"location":{"contentHash":"c0","item":"cur/1.M1:2,S","messageID":"<a\"b@x>","messageIDHash":"m0","store":"/srv/mail/anna/Maildir"},"purpose":"Rechnungen \"aufbewahren\"","recipient":"example.org","subjects":["aa","bb"],"time":"2023-11-14T22:13:20.123Z"}"#
        #expect(Array(EventChain.payload(of: event).utf8) == Array(expected.utf8))
    }

    /// The payload is written as bytes (``JSONText/appendQuoted(_:to:)-(_,[UInt8])``), every other
    /// JSON privctl prints as text: the two give the same literal for every ASCII character, for
    /// text past ASCII, and for text with many escapes in a row.
    @Test func quotingIntoBytesAndIntoTextAgree() {
        var samples = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        samples += ["", "plain", "\"\"\\\n\u{0}", "ä\u{1}ö\"ü", "📨\t📨", "\u{8}\u{C}\u{1B}[0m", "a\\", "\\z", String(repeating: "\"x", count: 300)]
        for sample in samples {
            var bytes: [UInt8] = []
            JSONText.appendQuoted(sample, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == JSONText.quote(sample), "\(sample.unicodeScalars.map(\.value))")
        }
    }

    @Test func hashIsSHA256OfPreviousNewlinePayload() {
        // printf '%s\n%s' 000...0 '{}' | sha256sum
        #expect(EventChain.hash(previousHash: EventChain.genesis, payload: "{}")
            == "5649d09ed68c17156095d175eef152856c5b1a81c117c409c1e00f096aa6838e")
    }

    /// `isHash` says what comparing with `hash(previousHash:payload:)` says: the same text only.
    @Test func isHashAcceptsExactlyTheHashText() {
        let payload = #"{"kind":"retain"}"#
        let hash = EventChain.hash(previousHash: EventChain.genesis, payload: payload)
        #expect(EventChain.isHash(hash, previousHash: EventChain.genesis, payload: payload))
        for other in [
            hash.uppercased(), String(hash.dropLast()), hash + "0", "", String(hash.dropLast()) + (hash.hasSuffix("0") ? "1" : "0"),
            EventChain.hash(previousHash: EventChain.genesis, payload: payload + " "),
        ] {
            #expect(!EventChain.isHash(other, previousHash: EventChain.genesis, payload: payload), "\(other)")
        }
        #expect(!EventChain.isHash(hash, previousHash: hash, payload: payload))
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
