/// Builds JSON paths such as `$.web.hosts[3]` or `$["odd name"]` for error messages.
struct JSONPath: Sendable, CustomStringConvertible {
    private var text = "$"

    func key(_ name: String) -> JSONPath {
        var copy = self
        let plain =
            !name.isEmpty
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
                    || b == 0x2D
            }
        if plain {
            copy.text += "." + name
        } else {
            copy.text += "[" + JSONWriter(indent: nil).string(.string(name)) + "]"
        }
        return copy
    }

    func index(_ i: Int) -> JSONPath {
        var copy = self
        copy.text += "[\(i)]"
        return copy
    }

    var description: String { text }
    var location: SourceLocation { .path(text) }
}
