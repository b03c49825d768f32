import Foundation
import MailStores
import PrivacyEvents

extension AccessReport {
    /// `privctl report`: searches `paths` now, as `erase --dry-run` does (changing nothing), and
    /// reads what the ledger records about the selection's pseudonyms on every host, on the
    /// context's day. The ledger is opened without recording a key.
    public static func make(for selection: SubjectSelection, paths: [String], context: PrivctlContext) throws -> AccessReport {
        let (containers, problems) = try context.scan(paths)
        let policy = try context.policy()
        let key = try context.key()
        let ledger = try context.ledger(recordingKey: false).ledger
        let day = context.day
        let absolute = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let subjects = selection.pseudonyms(key)
        let scan = ErasureRun(
            configuration: .init(
                policy: policy, key: key, host: context.host, operation: .erase, selection: .subject(selection.query),
                subjects: subjects, day: day, dryRun: true, limits: context.limits),
            ledger: nil, index: nil, holds: try LegalHold.active(in: ledger, on: day, key: key), logger: context.logger("privctl.report"))
        let receipt = try scan.run(containers: containers, paths: absolute)
        var report = try build(scan: receipt, paths: absolute, subjects: subjects, ledger: ledger, policy: policy, day: day)
        report.notSearched = problems.map(\.description) + receipt.failed + receipt.skipped
        return report
    }
}
