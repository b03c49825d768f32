import Foundation

/// Splitting mbox bytes the way Python's `mailbox.mbox` does (the rule the oracle uses): a line
/// starting with "From " begins a message and is not part of it; a "\n" line just before the
/// next "From " line is dropped; bytes before the first "From " line are ignored. (privctl's own
/// `MboxFile` is stricter about which `From ` lines separate; this is for reading test inputs.)
public enum Mbox {
    public static func split(_ data: [UInt8]) -> [[UInt8]] {
        var starts: [Int] = []  // where each message's body starts (after its From line)
        var stops: [Int] = []
        var lastWasEmpty = false
        var pos = 0
        let from = Array("From ".utf8)
        while pos < data.count {
            let end = data[pos...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.count
            let line = data[pos..<end]
            if line.starts(with: from) {
                if stops.count < starts.count { stops.append(lastWasEmpty ? pos - 1 : pos) }
                starts.append(end)
                lastWasEmpty = false
            } else {
                lastWasEmpty = line.elementsEqual([UInt8(ascii: "\n")])
            }
            pos = end
        }
        if stops.count < starts.count { stops.append(lastWasEmpty ? pos - 1 : pos) }
        return zip(starts, stops).map { Array(data[$0..<max($0, $1)]) }
    }
}
