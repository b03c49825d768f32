#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Musl)
    @preconcurrency import Musl
#endif

/// The one place where system calls are retried on `EINTR` and turn `errno` into a thrown
/// ``PrivctlError``.
enum SystemCall {
    /// Runs `call` until it does not fail with `EINTR`; a negative result becomes an error naming
    /// `path` and what was being done.
    @inline(__always)
    static func run<Result: BinaryInteger>(
        _ path: @autoclosure () -> String, _ operation: @autoclosure () -> String, _ call: () -> Result
    ) throws(PrivctlError) -> Result {
        while true {
            let result = call()
            if result >= 0 { return result }
            let number = errno
            if number == EINTR { continue }
            throw PrivctlError(errno: number, path: path(), operation())
        }
    }

    /// The same, but returns the error number instead of throwing for the ones listed in
    /// `expected` (for example `ENOENT` when absence is an answer, not a failure).
    @inline(__always)
    static func run<Result: BinaryInteger>(
        expecting expected: Set<Int32>, _ path: @autoclosure () -> String, _ operation: @autoclosure () -> String,
        _ call: () -> Result
    ) throws(PrivctlError) -> Swift.Result<Result, Errno> {
        while true {
            let result = call()
            if result >= 0 { return .success(result) }
            let number = errno
            if number == EINTR { continue }
            if expected.contains(number) { return .failure(Errno(number)) }
            throw PrivctlError(errno: number, path: path(), operation())
        }
    }
}

/// An error number that a caller expected and handles itself.
public struct Errno: Error, Sendable, Equatable {
    public let rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
}
