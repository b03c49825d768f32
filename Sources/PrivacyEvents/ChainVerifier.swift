import Foundation

/// Checks chained events, fed in chain order per host, against the ``EventChain`` rules.
///
/// Backends read their rows and feed them here, so SQLite and PostgreSQL are verified by the
/// same code. A row whose indexed columns disagree with its payload counts as changed too.
public struct ChainVerifier: Sendable {
    private var heads: [String: (sequence: Int64, hash: String)] = [:]
    private(set) var problems: [String] = []
    private var count = 0

    public init() {}

    /// Checks one stored row. `columns` are the values the backend keeps beside the payload
    /// for filtering; they must agree with the payload, and so must the subjects of the
    /// backend's subject index (`indexedSubjects`, when it has one). The payload is decoded once.
    public mutating func check(
        id: String, host: String, sequence: Int64, kind: String, time: String,
        payload: String, previousHash: String, hash: String, indexedSubjects: Set<String>? = nil
    ) {
        count += 1
        let head = heads[host]
        let expectedSequence = (head?.sequence ?? 0) + 1
        if sequence != expectedSequence {
            problems.append("host \(host): event \(id) has sequence \(sequence), expected \(expectedSequence) (events missing or reordered)")
        }
        let expectedPrevious = head?.hash ?? EventChain.genesis
        if previousHash != expectedPrevious {
            problems.append("host \(host): event \(id) (sequence \(sequence)) does not link to the event before it")
        }
        if EventChain.hash(previousHash: previousHash, payload: payload) != hash {
            problems.append("host \(host): event \(id) (sequence \(sequence)) was changed: its hash does not match its content")
        }
        if let event = try? Self.decoder.decode(Columns.self, from: Data(payload.utf8)) {
            if event.id != id || event.host != host || event.kind != kind || event.time != time {
                problems.append("host \(host): event \(id) (sequence \(sequence)) has columns that disagree with its recorded content")
            }
            if let indexedSubjects, Set(event.subjects) != indexedSubjects {
                problems.append("event \(id): its subject index disagrees with its recorded subjects")
            }
        } else {
            problems.append("host \(host): event \(id) (sequence \(sequence)) has an unreadable payload")
        }
        heads[host] = (sequence, hash)
    }

    /// What a payload must agree on with the row's columns and the subject index: decoded
    /// alone, so that verifying does not build every event (the chain hash covers the rest).
    private struct Columns: Decodable {
        let id: String
        let host: String
        let kind: String
        let time: String
        let subjects: [String]
    }

    private static let decoder = JSONDecoder()

    /// Records a problem found outside the chain (for example an index table out of step).
    public mutating func report(_ problem: String) { problems.append(problem) }

    /// The verdict.
    public var result: LedgerVerification {
        LedgerVerification(
            eventCount: count, hosts: heads.keys.sorted(), problems: problems,
            heads: heads.mapValues { $0.hash })
    }
}
