/// Why a log file could not be anonymized, read or removed: one sentence naming the file.
public struct LogError: Error, Sendable, CustomStringConvertible {
    /// The file (or option) the problem is about.
    public var path: String
    /// What went wrong, and where it helps, what to do.
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
