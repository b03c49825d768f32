/// Values computed outside Swift, to check ours against.
enum KnownValues {
    /// `python3 -c "import hmac,hashlib; print(hmac.new(bytes([0x0b]*32), b'alice@example.org', hashlib.sha256).hexdigest())"`
    static let aliceHMAC = "cb3629924ceeba6f1d8ea9729d05214049790fc741cce5a3a7c221c4a1cad679"
    /// The same with a 100-byte key 0, 1, …, 99 (longer than a SHA-256 block, so hashed first).
    static let aliceHMACLongKey = "1f8e987408030e67a89fbe28b3e45b12dfcf92fd6f77334f658edd655853791a"
}
