import FileSystem
import Foundation
import MailStores
import PrivacyEvents

/// Whole backup archives older than the backup retention: deleted and recorded.
public enum ArchiveExpiry {
    /// An archive due for deletion.
    public struct Due: Sendable {
        public var path: String
        public var day: CalendarDay
        public var size: Int
    }

    /// The archives among `containers` made more than `maxAgeDays` before `today` and not
    /// covered by a store hold.
    public static func due(_ containers: [MailContainer], maxAgeDays: Int, today: CalendarDay, holds: [LegalHold]) -> [Due] {
        containers.compactMap { container in
            guard let day = container.format.backupDay(of: container) else { return nil }
            guard day.adding(days: maxAgeDays) < today else { return nil }
            if holds.contains(where: { hold in hold.stores.contains { container.path == $0 || container.path.hasPrefix($0 + "/") } }) {
                return nil
            }
            let size = ((try? FileSystem.info(atPath: container.path)) ?? nil)?.size ?? 0
            return Due(path: container.path, day: day, size: size)
        }
    }

    /// Deletes one archive (overwriting is pointless for compressed backups on most storage;
    /// the file is removed and the directory fsynced) and returns its erase event.
    public static func delete(_ due: Due, maxAgeDays: Int, host: String) throws -> PrivacyEvent {
        let (directoryPath, name) = FileSystem.split(due.path)
        let directory = try Directory.open(directoryPath)
        let hash = try ContentHash.of(directory.openFile(name))
        try directory.unlink(name)
        try directory.sync()
        return PrivacyEvent(
            host: host, kind: .erase, subjects: [], dataCategory: "backup-archive",
            purpose: "Backups, kept for restoring data after a loss, for a limited time.",
            legalBasis: LegalBasis(.legitimateInterests),
            location: DataLocation(store: due.path, contentHash: hash),
            details: [
                "reason": "backup archives are kept at most \(maxAgeDays) days; this one is of \(due.day)",
                "size": String(due.size), "request": "none: privctl scrub",
            ])
    }
}
