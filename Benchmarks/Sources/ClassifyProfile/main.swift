// classify-profile: parses and classifies message files on one thread, with nothing else
// around it, so that `valgrind --tool=callgrind` or `perf` shows the per-message cost of
// MailParsing and RetentionPolicy alone.
//
//   swift build -c release --product classify-profile
//   find /tmp/store/Maildir -type f -path '*/cur/*' | head -2000 > /tmp/files.txt
//   valgrind --tool=callgrind .build/release/classify-profile /tmp/files.txt
//
// Prints the number of messages per category and the total time.

import Foundation
import MailParsing
import RetentionPolicy

let arguments = CommandLine.arguments
guard arguments.count == 2, let list = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: classify-profile FILE-LIST (one message file per line)\n".utf8))
    exit(2)
}
let files = list.split(separator: "\n").map(String.init)
let messages = files.compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
let classifier = Classifier(policy: .builtIn)
let context = MessageContext(folder: "INBOX", deliveryDate: Date(timeIntervalSince1970: 1_790_000_000))

let start = Date()
var categories: [String: Int] = [:]
for bytes in messages {
    guard let message = try? MailMessage(bytes: bytes) else {
        categories["(unparseable)", default: 0] += 1
        continue
    }
    categories[classifier.classify(message, context: context).category, default: 0] += 1
}
let seconds = Date().timeIntervalSince(start)
for (category, count) in categories.sorted(by: { $0.key < $1.key }) { print(category, count) }
print(String(format: "%d messages in %.3f s (%.1f µs per message)", messages.count, seconds, seconds * 1e6 / Double(max(messages.count, 1))))
