/// Turns the engine's `?` placeholders into PostgreSQL's `$1, $2, …`, leaving quoted text,
/// quoted identifiers and comments alone. The engine's SQL texts are few, so each is
/// translated once.
final class PlaceholderTranslation: Sendable {
    static let shared = PlaceholderTranslation()
    private let cache = BoundedCache<String, String>(capacity: 4096)

    func translate(_ sql: String) -> String {
        cache.value(for: sql) { Self.translate(uncached: sql) }
    }

    /// With `types`, each placeholder is cast to its type where one is given (`$1::int8`).
    static func translate(uncached sql: String, types: [String?] = []) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quote: Character?
        var lineComment = false
        var previous: Character = " "
        for ch in sql {
            if lineComment {
                if ch == "\n" { lineComment = false }
            } else if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
            } else if ch == "-" && previous == "-" {
                lineComment = true
            } else if ch == "?" {
                n += 1
                out += "$\(n)"
                if n <= types.count, let type = types[n - 1] { out += "::\(type)" }
                previous = ch
                continue
            }
            out.append(ch)
            previous = ch
        }
        return out
    }
}
