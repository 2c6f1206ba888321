import NIOCore

/// Rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes):
/// bulk inserts stream through `COPY … FROM STDIN` instead of binding every value of a
/// 200k-row insert as a parameter.
enum PostgresCopyText {
    static func append(_ row: [SQLValue], to buffer: inout ByteBuffer) {
        for (i, value) in row.enumerated() {
            if i > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case .int(let n): buffer.writeString(String(n))
            case .double(let d):
                buffer.writeString(d.isFinite ? "\(d)" : (d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity")))
            case .text(let s): appendEscaped(s, to: &buffer)
            case .blob(let bytes):
                // bytea hex form, its backslash escaped for COPY: \\x0aff…
                buffer.writeStaticString("\\\\x")
                let digits = Array("0123456789abcdef".utf8)
                for b in bytes {
                    buffer.writeInteger(digits[Int(b >> 4)])
                    buffer.writeInteger(digits[Int(b & 0x0F)])
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        let special: (UInt8) -> Bool = { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard text.utf8.contains(where: special) else {
            buffer.writeString(text)
            return
        }
        for b in text.utf8 {
            switch b {
            case 0x5C: buffer.writeStaticString("\\\\")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(b)
            }
        }
    }
}
