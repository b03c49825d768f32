import PrivacyEvents
import Testing

@testable import RetentionPolicy

@Suite struct BuiltInPolicyTests {
    @Test func builtInPolicyLoads() throws {
        let policy = try RetentionPolicy(yaml: RetentionPolicy.builtInYAML, file: "builtin.yaml")
        #expect(policy.fingerprint == RetentionPolicy.builtIn.fingerprint)
        #expect(policy.fallbackCategory == "unclassified")
    }
}
