import Erasure
import Foundation
import MailStores
import PrivacyEvents

/// The blocked stores that belong to some live containers, as containers of their own.
public enum BlockedStores {
    /// The blocked store of each distinct store among `containers` that has one.
    public static func containers(for containers: [MailContainer]) -> [MailContainer] {
        pairs(for: containers).map(\.blocked)
    }

    /// Each blocked container with the live store (Maildir top directory, mbox or message file)
    /// its messages came from.
    public static func pairs(for containers: [MailContainer]) -> [(blocked: MailContainer, liveStore: String)] {
        var seen = Set<String>()
        var result: [(blocked: MailContainer, liveStore: String)] = []
        for container in containers {
            let storePath = container.kind == .maildirFolder ? container.storePath : container.path
            guard seen.insert(storePath).inserted else { continue }
            let store = BlockedStore(storePath: storePath)
            switch container.kind {
            case .maildirFolder:
                let tree = store.root + "/" + URL(fileURLWithPath: storePath).lastPathComponent
                if FileManager.default.fileExists(atPath: tree), let found = try? StoreLocator.containers(under: tree) {
                    result += found.map { ($0, storePath) }
                }
            case .mbox:
                if FileManager.default.fileExists(atPath: store.blockedMbox) {
                    result.append((MailContainer(kind: .mbox, url: URL(fileURLWithPath: store.blockedMbox), folder: container.folder), storePath))
                }
            case .archive:
                continue  // a backup keeps its blocked messages in place
            case .messageFile:
                let blocked = store.root + "/" + URL(fileURLWithPath: container.path).lastPathComponent
                if FileManager.default.fileExists(atPath: blocked) {
                    result.append((MailContainer(kind: .messageFile, url: URL(fileURLWithPath: blocked), folder: container.folder), storePath))
                }
            }
        }
        return result
    }

    /// The last day each blocked message must be kept, by content hash, from the ledger's block
    /// events (the latest event per message wins). Blocks without an end (restrictions at a
    /// person's request) are not listed: they end only with `unblock`.
    public static func blockEnds(in ledger: any Ledger) throws -> [String: CalendarDay] {
        var ends: [String: CalendarDay] = [:]
        try ledger.forEachEvent(matching: EventFilter(kinds: [.block])) { stored in
            guard let hash = stored.event.location.contentHash else { return }
            ends[hash] = stored.event.keepUntil
        }
        return ends
    }
}
