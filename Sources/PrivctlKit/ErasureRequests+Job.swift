import FileSystem
import PrivacyEvents

/// One erasure request and what each host owing it has done, for `privctl request list`.
public struct RequestStatus: Sendable {
    public var request: ErasureRequest
    /// The hosts that hold data, and any other host that carried the request out, by name.
    public var hosts: [(host: String, result: RequestResult)]
    /// Past the deadline while a host has not answered it (outstanding or failed), or with no
    /// host having carried it out.
    public var overdue: Bool
}

extension ErasureRequests {
    /// Records a fleet-wide erasure request for `addresses`, received on `received`, with the
    /// operator's `reference`; returns the request's id.
    public static func record(
        addresses: [String], received: CalendarDay, reference: String? = nil, context: PrivctlContext
    ) throws -> EventID {
        if let reference { try checkReference(reference) }
        guard received <= context.day else {
            throw PrivctlError(.invalidInput, path: "", problem: "--received \(received) is after today (\(context.day)); the deadline counts from the day the request arrived")
        }
        let key = try context.key()
        let ledger = try context.ledger().ledger
        let event = requestEvent(
            subjects: addresses.map { key.pseudonym(for: $0) }, received: received, host: context.host, reference: reference)
        try ledger.append([event])
        return event.id
    }

    /// Every request on record with its state per host, as of the context's day; only those
    /// naming one of `subjects` (addresses) when given, only the overdue ones if `overdueOnly`.
    public static func status(context: PrivctlContext, subjects: [String] = [], overdueOnly: Bool = false) throws -> [RequestStatus] {
        let ledger = try context.ledger(recordingKey: false).ledger
        var requests = try all(in: ledger)
        if !subjects.isEmpty {
            let key = try context.key()
            let wanted = Set(subjects.map { key.pseudonym(for: $0) })
            requests = requests.filter { !wanted.isDisjoint(with: $0.subjects) }
        }
        let results = try results(in: ledger)
        // The hosts that hold data (an administrator's workstation that only records requests
        // owes nothing).
        let dataKinds: Set<EventKind> = [.collect, .transfer, .retain, .erase, .block]
        let hosts = try ledger.hosts().filter { host in
            var holds = false
            try ledger.forEachEvent(matching: EventFilter(kinds: dataKinds, host: host, limit: 1)) { _ in holds = true }
            return holds
        }
        return requests.map { request in
            // Hosts that hold data owe the request; a host that carried it out anyway is shown.
            let owing = Set(hosts).union(results[request.id]?.keys ?? [:].keys).sorted()
            let perHost = owing.map { ($0, results[request.id]?[$0] ?? .outstanding) }
            let late = request.deadline < context.day && (perHost.isEmpty || perHost.contains { !$0.1.isAnswered })
            return RequestStatus(request: request, hosts: perHost, overdue: late)
        }.filter { !overdueOnly || $0.overdue }
    }
}
