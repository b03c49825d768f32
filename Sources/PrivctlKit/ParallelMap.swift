import Dispatch

/// Runs `transform` over `items` on every core and returns the results in order.
///
/// The pipeline's unit of parallel work is one message: read, hash, parse, classify. Results
/// come back in input order, so output and ledger order do not depend on scheduling.
func parallelMap<Item: Sendable, Result: Sendable>(_ items: [Item], _ transform: @Sendable (Item) -> Result) -> [Result] {
    if items.count <= 1 { return items.map(transform) }
    var results = [Result?](repeating: nil, count: items.count)
    results.withUnsafeMutableBufferPointer { output in
        items.withUnsafeBufferPointer { input in
            let shared = SharedBuffers(input: input, output: output)
            DispatchQueue.concurrentPerform(iterations: input.count) { i in
                shared.output[i] = transform(shared.input[i])
            }
        }
    }
    return results.map { $0! }
}

/// Each iteration reads its own input and writes only its own output slot, so sharing the
/// buffers across threads is safe.
private struct SharedBuffers<Item, Result>: @unchecked Sendable {
    let input: UnsafeBufferPointer<Item>
    let output: UnsafeMutableBufferPointer<Result?>
}
