import Foundation

/// A directory under the system temp dir, removed when the value is released: where the tests
/// write the stores, mailboxes, archives and ledgers they work on.
public final class TemporaryDirectory {
    /// The directory.
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("privctl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes bytes to a relative path, creating directories; returns the file's URL.
    @discardableResult
    public func write(_ relativePath: String, _ bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file
    }

    /// Writes text (UTF-8) to a relative path.
    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> URL { try write(relativePath, Array(text.utf8)) }

    /// Creates a directory (and its parents).
    public func mkdir(_ relativePath: String) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(relativePath), withIntermediateDirectories: true)
    }
}
