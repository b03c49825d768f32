/// Undoes the transfer encodings of bodies (RFC 2045 base64 and quoted-printable) and of
/// encoded-words (RFC 2047 B and Q).
///
/// All decoders are tolerant the way mail readers are: base64 skips anything outside its
/// alphabet and survives missing or misplaced padding; quoted-printable keeps an `=` that starts
/// no valid escape. None of them can fail.
enum TransferDecoding {
    /// Decodes a body of the given transfer encoding; identity encodings return the bytes.
    static func decode(_ bytes: ArraySlice<UInt8>, _ encoding: TransferEncoding) -> [UInt8] {
        switch encoding {
        case .base64: return base64(bytes)
        case .quotedPrintable: return quotedPrintable(bytes)
        case .sevenBit, .eightBit, .binary: return Array(bytes)
        }
    }

    /// The number of bytes `decode` would return, without building them for identity encodings.
    static func decodedCount(_ bytes: ArraySlice<UInt8>, _ encoding: TransferEncoding) -> Int {
        switch encoding {
        case .sevenBit, .eightBit, .binary: return bytes.count
        case .base64: return base64Count(bytes)
        case .quotedPrintable: return quotedPrintable(bytes).count
        }
    }

    /// What `base64(_:)` would return, counted without building it (sizes of large attachments).
    static func base64Count<C: Collection<UInt8>>(_ bytes: C) -> Int {
        var sextets = 0
        base64Table.withUnsafeBufferPointer { table in
            for b in bytes {
                let v = table[Int(b)]
                if v < 64 {
                    sextets += 1
                } else if v == pad, sextets % 4 >= 2 {
                    break
                }
            }
        }
        return sextets / 4 * 3 + [0, 0, 1, 2][sextets % 4]
    }

    private static let invalid: UInt8 = 0xFF
    private static let pad: UInt8 = 0xFE

    private static let base64Table: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        table[Int(ASCII.equals)] = pad
        return table
    }()

    /// Base64 decoding that ignores bytes outside the alphabet; missing padding is forgiven and
    /// padding that completes a quantum ends the data (RFC 2045 §6.8: whatever follows is not
    /// part of it, and in broken multiparts it is the text after a lost boundary).
    static func base64<C: Collection<UInt8>>(_ bytes: C) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count / 4 * 3 + 3)
        var quantum: UInt32 = 0
        var count = 0
        base64Table.withUnsafeBufferPointer { table in
            for b in bytes {
                let v = table[Int(b)]
                if v < 64 {
                    quantum = quantum << 6 | UInt32(v)
                    count += 1
                    if count == 4 {
                        out.append(UInt8(truncatingIfNeeded: quantum >> 16))
                        out.append(UInt8(truncatingIfNeeded: quantum >> 8))
                        out.append(UInt8(truncatingIfNeeded: quantum))
                        quantum = 0
                        count = 0
                    }
                } else if v == pad, count >= 2 {
                    break
                }
            }
        }
        flushPartial(&out, quantum, count)
        return out
    }

    @inline(__always)
    private static func flushPartial(_ out: inout [UInt8], _ quantum: UInt32, _ count: Int) {
        switch count {
        case 2:
            out.append(UInt8(truncatingIfNeeded: quantum >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: quantum >> 10))
            out.append(UInt8(truncatingIfNeeded: quantum >> 2))
        default:
            break  // 0 bytes pending, or a lone sextet that carries no whole byte
        }
    }

    /// Quoted-printable body decoding (RFC 2045 §6.7): soft line breaks removed (also when
    /// white space follows the `=`), escapes in either case decoded, white space at line ends
    /// dropped as transport padding, and a bad escape kept as written.
    ///
    /// One pass with a byte-class table: white space is copied as it comes and taken back
    /// when a line end (LF, CRLF, or the end of the body) follows it directly.
    static func quotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        // Every step writes at most as many bytes as it reads.
        bytes.withUnsafeBufferPointer { input in
            quotedPrintableClasses.withUnsafeBufferPointer { classes in
                [UInt8](unsafeUninitializedCapacity: input.count) { out, written in
                    guard let src = input.baseAddress, let dst = out.baseAddress else {
                        written = 0
                        return
                    }
                    var n = 0
                    var i = 0
                    let end = input.count
                    // Where the white space just copied from the input starts in `out`, or -1.
                    var padding = -1
                    while i < end {
                        let b = src[i]
                        switch classes[Int(b)] {
                        case 0:
                            // A run of bytes that are copied as they are.
                            dst[n] = b
                            n &+= 1
                            i &+= 1
                            while i < end, classes[Int(src[i])] == 0 {
                                dst[n] = src[i]
                                n &+= 1
                                i &+= 1
                            }
                            padding = -1
                        case 2:  // SP, HT
                            if padding < 0 { padding = n }
                            out[n] = b
                            n += 1
                            i += 1
                        case 3:  // LF
                            if padding >= 0 { n = padding }
                            padding = -1
                            out[n] = b
                            n += 1
                            i += 1
                        case 4:  // CR, a line end when LF follows
                            if padding >= 0, i + 1 < end, input[i + 1] == ASCII.lf { n = padding }
                            padding = -1
                            out[n] = b
                            n += 1
                            i += 1
                        default:  // `=`
                            padding = -1
                            var j = i + 1
                            while j < end, ASCII.isWSP(input[j]) { j += 1 }
                            if j == end {
                                i = j
                            } else if input[j] == ASCII.lf {
                                i = j + 1
                            } else if input[j] == ASCII.cr, j + 1 < end, input[j + 1] == ASCII.lf {
                                i = j + 2
                            } else if j == i + 1, i + 2 < end, let hi = ASCII.hexValue(input[i + 1]),
                                let lo = ASCII.hexValue(input[i + 2])
                            {
                                out[n] = hi << 4 | lo
                                n += 1
                                i += 3
                            } else {
                                out[n] = b
                                n += 1
                                i += 1
                            }
                        }
                    }
                    if padding >= 0 { n = padding }
                    written = n
                }
            }
        }
    }

    /// 0: copied as it is; 1: `=`; 2: SP or HT; 3: LF; 4: CR.
    private static let quotedPrintableClasses: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        table[Int(ASCII.equals)] = 1
        table[Int(ASCII.space)] = 2
        table[Int(ASCII.tab)] = 2
        table[Int(ASCII.lf)] = 3
        table[Int(ASCII.cr)] = 4
        return table
    }()

    /// RFC 2047 Q decoding: `_` is a space, `=XX` a byte, anything else itself.
    static func qEncoded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == ASCII.underscore {
                out.append(ASCII.space)
            } else if b == ASCII.equals, i + 2 < bytes.endIndex, let hi = ASCII.hexValue(bytes[i + 1]),
                let lo = ASCII.hexValue(bytes[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 3
                continue
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }
}
