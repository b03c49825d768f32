import Foundation
import Testing

@testable import PrivacyEvents

/// Verification in batches on every core, and in segments joined with `absorb`, finds what
/// verifying row by row finds, in the same order; payload columns are read without a decoder.
@Suite struct ChainVerifierTests {
    let key = PseudonymKey(bytes: Array(repeating: 5, count: 32))

    /// A chain of `count` events of host mx1.
    func chain(_ count: Int) -> [ChainedEvent] {
        var chained: [ChainedEvent] = []
        for i in 0..<count {
            let event = PrivacyEvent(
                host: "mx1", kind: i % 2 == 0 ? .collect : .retain, subjects: [key.pseudonym(for: "p\(i % 7)@example.org")],
                dataCategory: "business-letter", purpose: "correspondence", legalBasis: LegalBasis(.legalObligation),
                location: DataLocation(store: "/srv/mail", item: "cur/\(i)", messageID: nil))
            chained.append(EventChain.link(event, after: chained.last.map { ($0.sequence, $0.hash) }))
        }
        return chained
    }

    func feed(_ verifier: inout ChainVerifier, _ rows: ArraySlice<ChainedEvent>, joined: Bool = true) {
        for row in rows {
            let subjects = row.event.subjects.map(\.rawValue)
            if joined {
                verifier.check(
                    id: row.event.id.rawValue, host: row.event.host, sequence: row.sequence, kind: row.event.kind.rawValue,
                    time: EventChain.timestamp(row.event.time), payload: row.payload, previousHash: row.previousHash,
                    hash: row.hash, indexedSubjectsJoined: subjects.joined(separator: " "))
            } else {
                verifier.check(
                    id: row.event.id.rawValue, host: row.event.host, sequence: row.sequence, kind: row.event.kind.rawValue,
                    time: EventChain.timestamp(row.event.time), payload: row.payload, previousHash: row.previousHash,
                    hash: row.hash, indexedSubjects: Set(subjects))
            }
        }
    }

    /// Rows fed without their subject index sum their payloads' (event, subject) pairs, in
    /// segments too; the sum is the index's when it holds the same pairs, and not when a
    /// subject sits under another event.
    @Test func payloadSubjectsSumToTheIndexsDigest() {
        let rows = chain(5_000)
        var first = ChainVerifier()
        var second = ChainVerifier(segmentOf: ["mx1"])
        for (n, row) in rows.enumerated() {
            let feed = { (verifier: inout ChainVerifier) in
                verifier.check(
                    id: row.event.id.rawValue, host: row.event.host, sequence: row.sequence, kind: row.event.kind.rawValue,
                    time: EventChain.timestamp(row.event.time), payload: row.payload, previousHash: row.previousHash,
                    hash: row.hash, summingSubjects: ())
            }
            if n < 2_000 { feed(&first) } else { feed(&second) }
        }
        first.absorb(second)
        #expect(first.result.isIntact)
        var index = SubjectDigest()
        for row in rows { for subject in row.event.subjects { index.add(event: row.event.id.rawValue, subject: subject.rawValue) } }
        #expect(first.payloadSubjects == index)
        #expect(index.count == 5_000)
        var moved = SubjectDigest()
        for (n, row) in rows.enumerated() {
            let event = n == 0 ? rows[1].event.id.rawValue : row.event.id.rawValue
            for subject in row.event.subjects { moved.add(event: event, subject: subject.rawValue) }
        }
        #expect(first.payloadSubjects != moved)
    }

    @Test func batchesAndSegmentsVerifyAnIntactChain() {
        let rows = chain(9_000)  // more than two batches
        var whole = ChainVerifier()
        feed(&whole, rows[...], joined: false)
        let expected = whole.result
        #expect(expected.isIntact)
        #expect(expected.eventCount == 9_000)
        var first = ChainVerifier()
        feed(&first, rows[..<3_000])
        var second = ChainVerifier(segmentOf: ["mx1"])
        feed(&second, rows[3_000..<7_500])
        var third = ChainVerifier(segmentOf: ["mx1"])
        feed(&third, rows[7_500...])
        first.absorb(second)
        first.absorb(third)
        let joined = first.result
        #expect(joined.isIntact)
        #expect(joined.eventCount == 9_000)
        #expect(joined.heads == expected.heads)
    }

    @Test func breaksAreFoundInRowOrderAcrossBatchesAndSegments() {
        var rows = chain(6_000)
        rows[5_000].payload = rows[5_000].payload.replacingOccurrences(of: "cur/5000", with: "cur/9999")  // changed
        rows.remove(at: 3_000)  // the first row of the second segment is missing
        let segments = [rows[..<3_000], rows[3_000...]]
        var whole = ChainVerifier()
        feed(&whole, rows[...])
        var first = ChainVerifier()
        feed(&first, segments[0])
        var second = ChainVerifier(segmentOf: ["mx1"])
        feed(&second, segments[1])
        first.absorb(second)
        let problems = first.result.problems
        #expect(problems == whole.result.problems)
        // The row after the changed one links to its stored hash: one problem there.
        #expect(problems.count == 3, "\(problems)")
        #expect(problems[0].contains("has sequence 3002, expected 3001"))
        #expect(problems[1].contains("(sequence 3002) does not link to the event before it"))
        #expect(problems[2].contains("(sequence 5001) was changed"))
    }

    @Test func columnsAndSubjectIndexAreComparedWithThePayload() {
        let rows = chain(3)
        var verifier = ChainVerifier()
        let row = rows[0]
        verifier.check(
            id: row.event.id.rawValue, host: row.event.host, sequence: 1, kind: "erase",
            time: EventChain.timestamp(row.event.time), payload: row.payload, previousHash: row.previousHash,
            hash: row.hash, indexedSubjectsJoined: "")
        let problems = verifier.result.problems
        #expect(problems.count == 2)
        #expect(problems[0].contains("has columns that disagree with its recorded content"))
        #expect(problems[1].contains("its subject index disagrees with its recorded subjects"))
    }

    @Test(arguments: [
        // Canonical, then the same members in other shapes a JSON writer may produce.
        #"{"host":"mx1","id":"e1","kind":"retain","legalBasis":{"a":[1,2.5e3,true,null,{"b":"c\"d"}]},"subjects":["s1","s2"],"time":"t"}"#,
        #" { "time" : "t" , "subjects" : [ "s2" , "s1" ] , "kind":"retain","id":"e1","host":"mx1","x":-0.5 } "#,
        #"{"host":"mx1","id":"e\u0031","kind":"retain","subjects":["s1","s2"],"time":"t"}"#,
    ])
    func payloadColumnsAreReadLikeADecoderReadsThem(payload: String) throws {
        let columns = try #require(EventColumns.read(payload: payload))
        #expect(columns == EventColumns(id: "e1", host: "mx1", kind: "retain", time: "t", dataCategory: nil, subjects: columns.subjects))
        #expect(Set(columns.subjects) == ["s1", "s2"])
        let agreement = EventColumns.compare(
            payload: payload, id: "e1", host: "mx1", kind: "retain", time: "t", indexed: .joined("s2 s1"))
        #expect(agreement?.columns == true && agreement?.subjects == true)
        let other = EventColumns.compare(
            payload: payload, id: "e1", host: "mx2", kind: "retain", time: "t", indexed: .set(["s1"]))
        #expect(other?.columns == false && other?.subjects == false)
    }

    @Test(arguments: [
        #"{"host":"mx1","id":"e1","kind":"retain","subjects":["s1"]}"#,  // no time
        #"{"host":"mx1","id":"e1","kind":"retain","subjects":["s1"],"time":"t""#,  // cut off
        #"{"host":"mx1","id":"e1","kind":"retain","subjects":"s1","time":"t"}"#,  // not a list
        #"["host","mx1"]"#,
        #"{"host":"mx1","id":"e1","kind":"retain","subjects":["s1"],"time":"t"} x"#,
        "",
    ])
    func unreadablePayloadsAreNoColumns(payload: String) {
        #expect(EventColumns.read(payload: payload) == nil)
        #expect(EventColumns.compare(payload: payload, id: "e1", host: "mx1", kind: "retain", time: "t", indexed: nil) == nil)
    }

    @Test func aRepeatedMemberIsLeftToTheDecoder() {
        // JSONDecoder takes one of the two; the walk does not guess which.
        let payload = #"{"host":"mx1","host":"mx2","id":"e1","kind":"retain","subjects":[],"time":"t"}"#
        let decoded = try? JSONDecoder().decode(EventColumns.self, from: Data(payload.utf8))
        #expect(EventColumns.read(payload: payload) == decoded)
    }
}
