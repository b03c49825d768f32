/// Why an archive or compressed stream could not be read or written.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    /// The archive's path.
    public var path: String
    /// One sentence from the library or from privctl.
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
