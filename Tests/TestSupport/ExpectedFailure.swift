import Testing

/// The error of type `E` that `body` throws; records an issue (with `message` when it throws
/// nothing) and returns nil otherwise. For checking an error's code and text:
///
///     let error = try #require(failure(of: { try erase(link) }, as: PrivctlError.self, otherwise: "a link was erased"))
///     #expect(error.code == .symbolicLink)
public func failure<E: Error>(
    of body: () throws -> Void, as type: E.Type, otherwise message: Comment, sourceLocation: SourceLocation = #_sourceLocation
) -> E? {
    do {
        try body()
    } catch let error as E {
        return error
    } catch {
        Issue.record("expected \(E.self), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
    Issue.record(message, sourceLocation: sourceLocation)
    return nil
}
