import FileSystem
import Foundation
import PrivacyEvents

extension LegalHold {
    /// The holds in force today, from the context's ledger.
    public static func list(context: PrivctlContext) throws -> [LegalHold] {
        return try active(in: context.ledger().ledger, on: CalendarDay(Date()), key: context.key())
    }

    /// Places a hold on what `selection` and `stores` name; returns it.
    public static func place(
        _ selection: SubjectSelection?, stores: [String], reason: String, until: CalendarDay?, context: PrivctlContext
    ) throws -> LegalHold {
        // The ledger keeps the reason forever, beside pseudonyms: no address in it.
        try ErasureRequests.checkReference(reason, option: "--reason")
        let key = try context.key()
        let ledger = try context.ledger().ledger
        let hold = LegalHold(
            id: EventID().rawValue, subjects: Set(selection?.pseudonyms(key) ?? []),
            messageIDHashes: Set((selection?.messageIDs ?? []).map(key.messageIDHash)),
            contentHashes: selection?.contentHashes ?? [],
            stores: stores.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path },
            reason: reason, until: until)
        try ledger.append([hold.event(host: context.host)])
        return hold
    }

    /// Releases the hold `id`, which must be in force today; returns the release event's id.
    public static func release(_ id: String, context: PrivctlContext) throws -> EventID {
        let ledger = try context.ledger().ledger
        guard try active(in: ledger, on: CalendarDay(Date()), key: context.key()).contains(where: { $0.id == id }) else {
            throw PrivctlError(.notFound, path: "", problem: "no legal hold \(id) is in force (see privctl hold --list)")
        }
        let event = releaseEvent(id: id, host: context.host)
        try ledger.append([event])
        return event.id
    }
}
