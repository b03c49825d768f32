import Foundation
import PrivacyEvents

extension LawfulBasis {
    /// Parses the ways a deletion concept writes an Art. 6(1) basis, strictly: "art6-1-c",
    /// "Art. 6(1)(c)", "Art. 6 Abs. 1 lit. c DSGVO", "GDPR Art. 6(1)(c)", "6(1)(c)" or "c".
    ///
    /// Only text that names a letter of Art. 6(1) is accepted, so that a typo in a policy file is
    /// an error and not a different basis.
    init?(policyText text: String) {
        var rest = text.lowercased()
        for word in ["gdpr", "dsgvo", "artikel", "art", "abs", "lit", "buchst"] {
            rest = rest.replacingOccurrences(of: word, with: "")
        }
        rest.removeAll { ". ()-_\t".contains($0) }
        let letter: String
        if rest.count == 1 {
            letter = rest
        } else if rest.count == 3, rest.hasPrefix("61") {
            letter = String(rest.suffix(1))
        } else {
            return nil
        }
        guard let basis = LawfulBasis(rawValue: "art6-1-" + letter) else { return nil }
        self = basis
    }
}
