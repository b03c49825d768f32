/// Values computed outside Swift, to check ours against.
enum KnownValues {
    /// `python3 -c "import hmac,hashlib; print(hmac.new(bytes([0x0b]*32), b'alice@example.org', hashlib.sha256).hexdigest())"`
    static let aliceHMAC = "cb3629924ceeba6f1d8ea9729d05214049790fc741cce5a3a7c221c4a1cad679"
}
