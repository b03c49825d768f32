import Dispatch
import Foundation

/// Checks chained events, fed in chain order per host, against the ``EventChain`` rules.
///
/// Backends read their rows and feed them here, so SQLite and PostgreSQL are verified by the
/// same code. A row whose indexed columns disagree with its payload counts as changed too.
///
/// Rows are checked in batches: what each row can tell alone (its hash over the stored bytes,
/// its columns against its payload, its subject index) on every core at once, then the links
/// between rows in order. Problems are reported in row order either way.
public struct ChainVerifier: Sendable {
    private var heads: [String: (sequence: Int64, hash: String)] = [:]
    private(set) var problems: [String] = []
    private var count = 0
    private var pending: [Row] = []
    /// The (event, subject) pairs of the payloads of rows fed with ``check(id:host:sequence:kind:time:payload:previousHash:hash:summingSubjects:)``.
    public private(set) var payloadSubjects = SubjectDigest()
    /// Hosts whose chain this verifier sees from the middle (see ``init(segmentOf:)``).
    private var unknownHeads: Set<String> = []
    /// The first row of each such host: its link is checked by ``absorb(_:)``, and its
    /// problems go before the row's own (`problemIndex`).
    private var openings: [(host: String, id: String, sequence: Int64, previousHash: String, problemIndex: Int)] = []

    /// Rows checked together: enough to keep both cores busy, few enough to stay small.
    static let batchSize = 4096

    public init() {}

    /// A verifier for a later segment of the chains of `hosts`, read apart from the rows
    /// before it (a backend may verify a long chain in segments, one per core): the first row
    /// of each host here links to a head this verifier does not know. ``absorb(_:)`` checks that
    /// link when the segment is joined to the one before it.
    public init(segmentOf hosts: Set<String>) {
        unknownHeads = hosts
    }

    /// One stored row, as the backend read it.
    fileprivate struct Row: Sendable {
        let id: String, host: String, sequence: Int64, kind: String, time: String
        /// The category column, where the backend passes it (compared with `dataCategory`).
        var category: String? = nil
        let payload: String, previousHash: String, hash: String
        let indexedSubjects: IndexedSubjects?
        /// The previous hash is not stored with the row but is the hash of the row before it.
        var linkedByPosition = false
    }

    /// Checks one stored row. `columns` are the values the backend keeps beside the payload
    /// for filtering (the category too, where the backend passes it); they must agree with the
    /// payload, and so must the subjects of the backend's subject index (`indexedSubjects`, when
    /// it has one). The payload is read once.
    public mutating func check(
        id: String, host: String, sequence: Int64, kind: String, time: String, category: String? = nil,
        payload: String, previousHash: String, hash: String, indexedSubjects: Set<String>? = nil
    ) {
        enqueue(
            Row(
                id: id, host: host, sequence: sequence, kind: kind, time: time, category: category, payload: payload,
                previousHash: previousHash, hash: hash, indexedSubjects: indexedSubjects.map { .set($0) }))
    }

    /// ``check(id:host:sequence:kind:time:payload:previousHash:hash:indexedSubjects:)`` with the
    /// subject index's subjects joined by single spaces, as SQLite's `group_concat` gives them
    /// (nil or empty: none). `linkedByPosition`: the backend stores no previous hash for the row
    /// but took the hash of the row before it, so a hash that does not match says that this
    /// row or the one before it was changed.
    public mutating func check(
        id: String, host: String, sequence: Int64, kind: String, time: String, category: String? = nil,
        payload: String, previousHash: String, hash: String, indexedSubjectsJoined: String?, linkedByPosition: Bool = false
    ) {
        enqueue(
            Row(
                id: id, host: host, sequence: sequence, kind: kind, time: time, category: category, payload: payload,
                previousHash: previousHash, hash: hash, indexedSubjects: .joined(indexedSubjectsJoined ?? ""),
                linkedByPosition: linkedByPosition))
    }

    /// ``check(id:host:sequence:kind:time:payload:previousHash:hash:indexedSubjects:)`` without
    /// a subject index per row: the payload's subjects are added to ``payloadSubjects``
    /// instead, for the backend to compare with a ``SubjectDigest`` of its whole index.
    public mutating func check(
        id: String, host: String, sequence: Int64, kind: String, time: String,
        payload: String, previousHash: String, hash: String, summingSubjects: Void
    ) {
        enqueue(
            Row(
                id: id, host: host, sequence: sequence, kind: kind, time: time, payload: payload,
                previousHash: previousHash, hash: hash, indexedSubjects: .summed))
    }

    /// ``check(id:host:sequence:kind:time:payload:previousHash:hash:summingSubjects:)`` with the
    /// payload's subjects summed under `key`, the number by which the backend's subject index
    /// names this row, instead of under the event's id (`linkedByPosition` as for
    /// ``check(id:host:sequence:kind:time:payload:previousHash:hash:indexedSubjectsJoined:linkedByPosition:)``).
    public mutating func check(
        id: String, host: String, sequence: Int64, kind: String, time: String, category: String? = nil,
        payload: String, previousHash: String, hash: String, summingSubjectsUnder key: Int64, linkedByPosition: Bool = false
    ) {
        enqueue(
            Row(
                id: id, host: host, sequence: sequence, kind: kind, time: time, category: category, payload: payload,
                previousHash: previousHash, hash: hash, indexedSubjects: .summedUnder(key), linkedByPosition: linkedByPosition))
    }

    /// Queues a row; a full batch is checked.
    private mutating func enqueue(_ row: Row) {
        pending.append(row)
        if pending.count >= Self.batchSize { flush() }
    }

    /// Checks the rows fed since the last batch.
    private mutating func flush() {
        guard !pending.isEmpty else { return }
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        // What each row tells alone, in parallel: slots of its own per row.
        var local = [(problems: [String], subjects: SubjectDigest)](repeating: ([], SubjectDigest()), count: rows.count)
        // (Rows read in place through a buffer: a row copied is nine strings retained and released.)
        local.withUnsafeMutableBufferPointer { buffer in
            rows.withUnsafeBufferPointer { rows in
                let slots = Slots(buffer: buffer, rows: rows)
                DispatchQueue.concurrentPerform(iterations: (rows.count + 255) / 256) { chunk in
                    for i in (chunk * 256)..<min(slots.rows.count, chunk * 256 + 256) {
                        slots.buffer[i] = Self.problemsAlone(slots.rows.baseAddress! + i)
                    }
                }
            }
        }
        for row in local { payloadSubjects.add(row.subjects) }
        // The links, in order (by index: a row copied is eight strings retained and released).
        for i in rows.indices {
            count += 1
            let head = heads[rows[i].host]
            if head == nil && unknownHeads.contains(rows[i].host) {
                openings.append((rows[i].host, rows[i].id, rows[i].sequence, rows[i].previousHash, problems.count))
                problems += local[i].problems
                heads[rows[i].host] = (rows[i].sequence, rows[i].hash)
                continue
            }
            problems += Self.linkProblems(
                host: rows[i].host, id: rows[i].id, sequence: rows[i].sequence, previousHash: rows[i].previousHash, after: head)
            problems += local[i].problems
            heads[rows[i].host] = (rows[i].sequence, rows[i].hash)
        }
    }

    /// The problems of a row's link to the row before it in its chain (`head`; nil: none).
    private static func linkProblems(
        host: String, id: String, sequence: Int64, previousHash: String, after head: (sequence: Int64, hash: String)?
    ) -> [String] {
        var found: [String] = []
        let expectedSequence = (head?.sequence ?? 0) + 1
        if sequence != expectedSequence {
            found.append("host \(host): event \(id) has sequence \(sequence), expected \(expectedSequence) (events missing or reordered)")
        }
        if previousHash != (head?.hash ?? EventChain.genesis) {
            found.append("host \(host): event \(id) (sequence \(sequence)) does not link to the event before it")
        }
        return found
    }

    /// The problems one row shows by itself: a hash that is not over its stored bytes, columns
    /// or a subject index that disagree with its payload, a payload that cannot be read.
    private static func problemsAlone(_ pointer: UnsafePointer<Row>) -> (problems: [String], subjects: SubjectDigest) {
        // The row is read in place, field by field: a copy would retain and release every string.
        var found: [String] = []
        var subjects = SubjectDigest()
        func event() -> String {
            "host \(pointer.pointee.host): event \(pointer.pointee.id) (sequence \(pointer.pointee.sequence))"
        }
        // An empty previous hash: the backend does not know the hash the event was made with
        // (the event before it is missing, reported as a broken link); its hash cannot be checked.
        let previousHash = pointer.pointee.previousHash
        if !previousHash.isEmpty, !EventChain.isHash(pointer.pointee.hash, previousHash: previousHash, payload: pointer.pointee.payload) {
            found.append(
                "\(event()) was changed"
                    + (pointer.pointee.linkedByPosition
                        ? ", or the event before it was: its hash does not match its content and the event before it"
                        : ": its hash does not match its content"))
        }
        if let agreement = EventColumns.compare(
            payload: pointer.pointee.payload, id: pointer.pointee.id, host: pointer.pointee.host, kind: pointer.pointee.kind,
            time: pointer.pointee.time, category: pointer.pointee.category, indexed: pointer.pointee.indexedSubjects,
            summingInto: &subjects)
        {
            if !agreement.columns {
                found.append("\(event()) has columns that disagree with its recorded content")
            }
            if !agreement.subjects {
                found.append("event \(pointer.pointee.id): its subject index disagrees with its recorded subjects")
            }
        } else {
            found.append("\(event()) has an unreadable payload")
        }
        return (found, subjects)
    }

    /// Joins the verifier of the segment after this one (in chain order): checks that its first
    /// row of each host links to this one's head, then takes over its rows, problems and heads.
    public mutating func absorb(_ later: ChainVerifier) {
        flush()
        var later = later
        later.flush()
        var laterProblems = later.problems
        var inserted = 0
        for opening in later.openings {
            let found = Self.linkProblems(
                host: opening.host, id: opening.id, sequence: opening.sequence, previousHash: opening.previousHash,
                after: heads[opening.host])
            laterProblems.insert(contentsOf: found, at: opening.problemIndex + inserted)
            inserted += found.count
        }
        problems += laterProblems
        count += later.count
        payloadSubjects.add(later.payloadSubjects)
        for (host, head) in later.heads { heads[host] = head }
    }

    /// The verifiers of `count` parts (whole chains, or segments of one in chain order) made at
    /// once on every core by `part`, joined in order with ``absorb(_:)``. The first error a part
    /// throws is thrown.
    public static func joining(_ count: Int, _ part: @Sendable (Int) throws -> ChainVerifier) throws -> ChainVerifier {
        let results = PartResults(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, Result { try part(index) })
        }
        var verifier = ChainVerifier()
        for result in results.all() { verifier.absorb(try result.get()) }
        return verifier
    }

    /// Records a problem found outside the chain (for example an index table out of step),
    /// after the problems of every row fed so far.
    public mutating func report(_ problem: String) {
        flush()
        problems.append(problem)
    }

    /// The verdict (every row fed so far checked).
    public var result: LedgerVerification {
        mutating get {
            flush()
            return LedgerVerification(
                eventCount: count, hosts: heads.keys.sorted(), problems: problems,
                heads: heads.mapValues { $0.hash })
        }
    }
}

/// Each iteration of a batch writes only its own rows' slots, so sharing them across threads
/// is safe.
private struct Slots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<(problems: [String], subjects: SubjectDigest)>
    /// The rows each slot is for, read only.
    let rows: UnsafeBufferPointer<ChainVerifier.Row>
}

/// The subjects a backend's subject index holds for an event.
enum IndexedSubjects: Sendable {
    case set(Set<String>)
    /// Separated by single spaces (SQLite's group_concat).
    case joined(String)
    /// Not read per event: the payload's subjects go into a ``SubjectDigest`` instead.
    case summed
    /// As `summed`, each pair under this number (little-endian) instead of the event's id.
    case summedUnder(Int64)

    var set: Set<String> {
        switch self {
        case .set(let set): return set
        case .joined(let text): return Set(text.utf8.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) })
        case .summed, .summedUnder: return []
        }
    }

    /// Whether these subjects, as a set, are `others` (UTF-8), compared byte by byte.
    func equals(_ others: [UnsafeBufferPointer<UInt8>]) -> Bool {
        switch self {
        case .set(let set):
            return others.allSatisfy { set.contains(String(decoding: $0, as: UTF8.self)) }
                && set.allSatisfy { subject in others.contains { subject.utf8.elementsEqual($0) } }
        case .joined(var text):
            return text.withUTF8 { bytes in
                let mine = bytes.split(separator: 0x20)
                return others.allSatisfy { other in mine.contains { $0.elementsEqual(other) } }
                    && mine.allSatisfy { subject in others.contains { subject.elementsEqual($0) } }
            }
        case .summed, .summedUnder:
            return true
        }
    }
}

/// The verifiers of ``ChainVerifier/joining(_:_:)``'s parts, each written by its own thread.
private final class PartResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<ChainVerifier, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<ChainVerifier, any Error>) {
        lock.withLock { results[index] = result }
    }

    func all() -> [Result<ChainVerifier, any Error>] {
        lock.withLock { results.map { $0! } }
    }
}
