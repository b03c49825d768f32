import Foundation
import PrivacyEvents
import FileSystem

/// Erasure requests as the (possibly shared) ledger records them, and what each host has done
/// about them.
///
/// A request is a ``EventKind/request`` event with `type` "erasure …": from `privctl erase` on
/// one host, or `privctl request erase` for the whole fleet. When a host has carried a request
/// out on its paths it records a second request event with `action` "carried-out", the request's
/// id and the result. Requests never expire for backups: `scrub` applies every one of them.
public struct ErasureRequest: Sendable, Equatable {
    public var id: String
    public var received: CalendarDay
    /// GDPR Art. 12(3): one month after receipt.
    public var deadline: CalendarDay
    public var subjects: [Pseudonym]
    /// The host that recorded it.
    public var host: String
    /// "fleet" for `privctl request erase`, else the paths of a local erase.
    public var scope: String
    /// The operator's free-text reference (a ticket number), if one was given.
    public var reference: String?
}

/// What one host did about one request.
public enum RequestResult: Sendable, Equatable, CustomStringConvertible {
    case done
    /// Part of the data is blocked under a legal duty until this day.
    case blockedInPart(until: CalendarDay?)
    case failed(String)
    case outstanding

    /// How far along the request is on a host: outstanding, failed, blocked in part, done. A
    /// later run records a result only when it is further along, so a failure after a done run
    /// never undoes it and nightly runs record nothing new.
    public var stage: Int {
        switch self {
        case .outstanding: return 0
        case .failed: return 1
        case .blockedInPart: return 2
        case .done: return 3
        }
    }

    /// Whether the host has answered the request: erased, or blocked where a legal duty forbids
    /// erasure (GDPR Art. 17(3)(b), 18).
    public var isAnswered: Bool { stage >= 2 }

    public var description: String {
        switch self {
        case .done: return "done"
        case .blockedInPart(let until): return "blocked in part" + (until.map { " until \($0)" } ?? "")
        case .failed(let why): return "failed: \(why)"
        case .outstanding: return "outstanding"
        }
    }

    /// The form kept in the ledger.
    var recorded: String {
        switch self {
        case .done: return "done"
        case .blockedInPart(let until): return "blocked-until:" + (until?.description ?? "")
        case .failed(let why): return "failed:" + why
        case .outstanding: return "outstanding"
        }
    }

    init(recorded text: String) {
        if text == "done" {
            self = .done
        } else if text.hasPrefix("blocked-until:") {
            self = .blockedInPart(until: CalendarDay(iso: String(text.dropFirst("blocked-until:".count))))
        } else if text.hasPrefix("failed:") {
            self = .failed(String(text.dropFirst("failed:".count)))
        } else {
            self = .outstanding
        }
    }
}

public enum ErasureRequests {
    /// Every erasure request on record, oldest first.
    public static func all(in ledger: any Ledger) throws -> [ErasureRequest] {
        var requests: [ErasureRequest] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.request])) { stored in
            let event = stored.event
            guard event.details["action"] == nil, event.details["type"]?.hasPrefix("erasure") == true else { return }
            let received = event.details["received"].flatMap(CalendarDay.init(iso:)) ?? CalendarDay(event.time)
            requests.append(ErasureRequest(
                id: event.id.rawValue, received: received,
                deadline: event.details["deadline"].flatMap(CalendarDay.init(iso:)) ?? received.adding(months: 1),
                subjects: event.subjects, host: event.host, scope: event.details["scope"] ?? "",
                reference: event.details["reference"]))
        }
        return requests.sorted { ($0.received, $0.id) < ($1.received, $1.id) }
    }

    /// Per request id, per host, the recorded result (the latest wins).
    public static func results(in ledger: any Ledger) throws -> [String: [String: RequestResult]] {
        var results: [String: [String: RequestResult]] = [:]
        try ledger.forEachEvent(matching: EventFilter(kinds: [.request])) { stored in
            let event = stored.event
            guard event.details["action"] == "carried-out", let request = event.details["request"] else { return }
            results[request, default: [:]][event.host] = RequestResult(recorded: event.details["result"] ?? "")
        }
        return results
    }

    /// A fleet-wide erasure request, with the operator's reference (a ticket number) if given.
    public static func requestEvent(subjects: [Pseudonym], received: CalendarDay, host: String, reference: String? = nil) -> PrivacyEvent {
        var details = [
            "type": "erasure (GDPR Art. 17)", "received": received.description,
            "deadline": received.adding(months: 1).description, "scope": "fleet",
        ]
        details["reference"] = reference
        return PrivacyEvent(
            host: host, kind: .request, subjects: subjects, dataCategory: "request",
            purpose: "A data subject's request, kept so that every host, later run and restored backup applies it.",
            legalBasis: LegalBasis(.legalObligation, retentionLaw: "GDPR Art. 12(3), 17"),
            location: DataLocation(store: "*"), details: details)
    }

    /// A reference as an operator may give it: one line of at most 200 characters. It is kept
    /// in the ledger as written, so it should name a ticket, not a person.
    public static func checkReference(_ reference: String, option: String = "--reference") throws(PrivctlError) {
        let bad: (Unicode.Scalar) -> Bool = {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format || $0 == "\u{FFFD}"
        }
        guard !reference.isEmpty, reference.count <= 200, !reference.unicodeScalars.contains(where: bad) else {
            throw PrivctlError(.invalidInput, path: "", problem: "\(option) must be one line of 1 to 200 characters (a ticket number, not personal data)")
        }
        // The ledger keeps it forever and names people only by pseudonym: no address in it.
        guard !reference.contains("@") else {
            throw PrivctlError(.invalidInput, path: "", problem: "\(option) must not hold an e-mail address: the ledger keeps it forever; give a ticket number")
        }
    }

    /// The record that `host` carried out `request` on `paths`.
    public static func carriedOutEvent(request: ErasureRequest, result: RequestResult, paths: [String], host: String) -> PrivacyEvent {
        PrivacyEvent(
            host: host, kind: .request, subjects: request.subjects, dataCategory: "request",
            purpose: "Record of carrying out a data subject's request on this host.",
            legalBasis: LegalBasis(.legalObligation, retentionLaw: "GDPR Art. 12(3), 17"),
            location: DataLocation(store: paths.first ?? "*"),
            details: ["action": "carried-out", "request": request.id, "result": result.recorded, "paths": paths.joined(separator: "\n")])
    }

    /// What a receipt says about one request: blocked in part when any of its subjects' items
    /// were blocked, failed when the run failed somewhere, else done.
    /// After a run that applied every request (`apply`, `expire`, `scrub`): one carried-out
    /// event for each request whose result on `host` moves forward with this run (see
    /// ``RequestResult/stage``): a request that failed on a locked mailbox becomes done when a
    /// later run succeeds. Requests already done get nothing new, so nightly runs add nothing.
    public static func carriedOutEvents(
        for requests: [ErasureRequest], in ledger: any Ledger, receipt: ErasureReceipt, paths: [String], host: String
    ) throws -> [PrivacyEvent] {
        let recorded = try results(in: ledger)
        return requests.compactMap { request in
            let before = recorded[request.id]?[host] ?? .outstanding
            // Blocked in part stays so until expire erases the blocked mail (blocksEndedEvents):
            // a later run finds nothing new because the mail is blocked, not because it is gone.
            guard before.stage < RequestResult.blockedInPart(until: nil).stage else { return nil }
            let result = result(of: request, in: receipt)
            guard result.stage > before.stage else { return nil }
            return carriedOutEvent(request: request, result: result, paths: paths, host: host)
        }
    }

    /// After an `expire` run that failed nowhere: "done" for each request blocked in part on
    /// `host` whose block ended before `day`, since expire erased its blocked mail.
    public static func blocksEndedEvents(in ledger: any Ledger, day: CalendarDay, paths: [String], host: String) throws -> [PrivacyEvent] {
        let recorded = try results(in: ledger)
        return try all(in: ledger).compactMap { request in
            guard case .blockedInPart(let until?) = recorded[request.id]?[host], until < day else { return nil }
            return carriedOutEvent(request: request, result: .done, paths: paths, host: host)
        }
    }

    public static func result(of request: ErasureRequest, in receipt: ErasureReceipt) -> RequestResult {
        if !receipt.failed.isEmpty || !receipt.skipped.isEmpty {
            return .failed((receipt.failed + receipt.skipped).first ?? "")
        }
        let subjects = Set(request.subjects.map(\.rawValue))
        // Items of apply name the requests they answer; everything a subject erase found is its.
        let mine = receipt.items.filter { item in
            item.requestSubjects.map { !Set($0).isDisjoint(with: subjects) } ?? true
        }
        let blocked = mine.filter { $0.action == .blocked || $0.action == .held }
        if blocked.isEmpty { return .done }
        return .blockedInPart(until: blocked.compactMap { $0.retainUntil.flatMap(CalendarDay.init(iso:)) }.max())
    }
}
