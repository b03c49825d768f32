/// Why a path could not be read as mail.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The path concerned.
    public var path: String
    /// One sentence on what is wrong.
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
