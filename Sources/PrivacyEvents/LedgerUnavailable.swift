/// The ledger could not be reached: no connection, or the connection was lost.
///
/// A remote backend throws this, and only this, when the failure is about reaching the server
/// rather than about what was asked of it (a permission, a constraint). A spooling ledger keeps
/// events locally on this error and lets every other error through. After an append that threw
/// it, the events may or may not be recorded: ids make the retry safe either way.
public struct LedgerUnavailableError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
