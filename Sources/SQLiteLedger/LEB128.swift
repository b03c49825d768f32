/// Unsigned LEB128 numbers, as the ledger's stored forms write them: a compressed payload's
/// header (`PayloadCodec`) and a scan index row's subject numbers (`SubjectNumbers`). Seven
/// bits per byte, lowest first; a byte with its high bit set has another after it.
enum LEB128 {
    /// Appends `value` to `out`.
    static func append(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    /// The number at `index` of `bytes`, `index` moved past it; nil when the bytes end before
    /// it does, or it runs past 64 bits.
    static func read(_ bytes: UnsafeRawBufferPointer, at index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
