/// What an erasure run does, as receipts and events name it.
public enum ErasureOperation: String, Sendable, Codable, Equatable {
    /// Erase, or block where a legal duty forbids erasure.
    case erase
    /// Block (restrict) everything found.
    case block
    /// Erase what the policy says is due (cron), except what a hold keeps.
    case expire
    /// Apply pending erasure requests and the backup retention to archives (cron).
    case scrub
    /// Return blocked messages to where they were.
    case unblock
}
