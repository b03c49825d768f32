/// Why an erase, block or unblock could not be carried out. Whatever was being changed is left
/// as it was.
public struct ErasureError: Error, Sendable, CustomStringConvertible {
    /// The file or mailbox concerned.
    public var path: String
    /// One sentence on what went wrong.
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
