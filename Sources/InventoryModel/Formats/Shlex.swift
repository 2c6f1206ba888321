/// Why ``Shlex/split(_:comments:)`` failed, in Python's words.
public struct ShlexError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `No closing quotation` or `No escaped character`, as Python's `shlex` says it.
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Python's `shlex.split` in POSIX mode, which ansible-core's INI reader uses to cut host
/// lines into a host pattern and `key=value` tokens.
///
/// Behaviour follows CPython's `shlex.read_token` with `whitespace_split=True` and no
/// punctuation characters: white space is only space, tab, CR and LF; single quotes keep
/// everything literally; in double quotes a backslash escapes only `"` and `\`; outside
/// quotes a backslash escapes any character; quotes may start in the middle of a word
/// (`a"b c"d` is one token `ab cd`); `''` is an empty token. With `comments`, `#` at the start
/// of or inside an unquoted word ends the token and skips to the end of the line.
public enum Shlex {
    private enum State {
        case whitespace
        case word
        case quote(UInt8)
        case escape
    }

    /// Splits `text` as `shlex.split(text, comments=comments)` does.
    public static func split(_ text: some StringProtocol, comments: Bool = false) throws(ShlexError) -> [String] {
        // Every character shlex treats specially is ASCII, so UTF-8 bytes can be walked one by
        // one: the bytes of other characters are always copied through unchanged, in order.
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(ShlexError) in
            try split(UnsafeBufferPointer(buffer), comments: comments)
        }
    }

    private static func split(_ s: UnsafeBufferPointer<UInt8>, comments: Bool) throws(ShlexError) -> [String] {
        let backslash = UInt8(ascii: "\\"), hash = UInt8(ascii: "#"), newline = UInt8(ascii: "\n")
        let single = UInt8(ascii: "'"), double = UInt8(ascii: "\"")
        var tokens: [String] = []
        var token: [UInt8] = []
        token.reserveCapacity(64)
        var quoted = false
        var state = State.whitespace
        // Where an escape returns to: the word, or the double quote it appeared in.
        var escapedState = State.word
        var i = 0

        func emit() {
            if !token.isEmpty || quoted { tokens.append(String(decoding: token, as: UTF8.self)) }
            token.removeAll(keepingCapacity: true)
            quoted = false
        }

        while i < s.count {
            let c = s[i]
            i += 1
            switch state {
            case .whitespace, .word:
                let inWord: Bool
                if case .word = state { inWord = true } else { inWord = false }
                if isWhitespace(c) {
                    if inWord { emit() }
                    state = .whitespace
                } else if comments && c == hash {
                    // `instream.readline()`: the comment runs to the end of the physical line.
                    while i < s.count {
                        i += 1
                        if s[i - 1] == newline { break }
                    }
                    if inWord { emit() }
                    state = .whitespace
                } else if c == backslash {
                    escapedState = .word
                    state = .escape
                } else if c == single || c == double {
                    state = .quote(c)
                } else {
                    token.append(c)
                    state = .word
                }
            case .quote(let q):
                quoted = true
                if c == q {
                    state = .word
                } else if c == backslash && q == double {
                    escapedState = state
                    state = .escape
                } else {
                    token.append(c)
                }
            case .escape:
                // In double quotes only the quote and the backslash itself are escapable.
                if case .quote(let q) = escapedState, c != backslash, c != q { token.append(backslash) }
                token.append(c)
                state = escapedState
            }
        }
        switch state {
        case .quote: throw ShlexError(message: "No closing quotation")
        case .escape: throw ShlexError(message: "No escaped character")
        case .word: emit()
        case .whitespace: break
        }
        return tokens
    }

    @inline(__always)
    private static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A
    }
}
