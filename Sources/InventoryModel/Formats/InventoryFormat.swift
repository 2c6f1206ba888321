/// The inventory file formats BatchSource reads.
public enum InventoryFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// Inventory-script JSON (`ansible-inventory --list` output).
    case json
    /// The `yaml` inventory plugin's format; JSON in that shape counts as YAML, as in Ansible.
    case yaml
    /// The `ini` inventory plugin's format.
    case ini

    /// The format named by a MIME type, e.g. from a `Content-Type` header.
    public init?(mediaType: String) {
        let base = mediaType.split(separator: ";").first.map { $0.trimmingCharacters() } ?? ""
        switch base.lowercased() {
        case "application/json": self = .json
        case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml": self = .yaml
        case "text/x-ini", "text/ini", "application/x-ini": self = .ini
        default: return nil
        }
    }

    /// Guesses the format from the content, with the file name's extension as a hint, the way
    /// Ansible's plugins would accept the file: `.ini`/`.cfg` are INI; `.yml`/`.yaml` are YAML;
    /// text starting with `{` is JSON (script form when groups list their hosts, else YAML
    /// form); a first section header `[name]` means INI; a YAML mapping means YAML; else INI.
    public static func detect(text: String, fileName: String? = nil) -> InventoryFormat {
        let ext = fileName.flatMap { name -> String? in
            guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
            return String(name[name.index(after: dot)...]).lowercased()
        }
        switch ext {
        case "ini", "cfg": return .ini
        case "yml", "yaml": return .yaml
        default: break
        }
        guard let firstLine = firstSignificantLine(of: text) else { return ext == "json" ? .json : .ini }
        if firstLine.hasPrefix("{") { return .json }
        if firstLine.hasPrefix("---") { return .yaml }
        if firstLine.hasPrefix("["), firstLine.hasSuffix("]") || firstLine.contains("]") && !firstLine.contains(",") {
            return .ini
        }
        // A YAML mapping starts with `key:` followed by a space or the end of the line.
        if let colon = firstLine.firstIndex(of: ":") {
            let after = firstLine[firstLine.index(after: colon)...]
            if after.isEmpty || after.first == " " || after.first == "\t" { return .yaml }
        }
        return .ini
    }

    /// The first line that is neither blank nor a comment, trimmed; found without splitting the
    /// whole text, which for a million-host file would cost more than reading it.
    static func firstSignificantLine(of text: String) -> String? {
        var rest = text[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(where: \.isNewline) ?? rest.endIndex
            let line = rest[..<end].trimmingCharacters()
            if !line.isEmpty && !line.hasPrefix("#") && !line.hasPrefix(";") { return line }
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[rest.endIndex...]
        }
        return nil
    }

    /// Whether a parsed JSON document is in script form (groups list their hosts or children,
    /// or `_meta` is present) rather than the YAML plugin's nested-map form.
    public static func isScriptForm(_ document: JSONValue) -> Bool {
        guard case .object(let top) = document else { return true }
        if top["_meta"] != nil { return true }
        var sawMap = false
        for (_, group) in top {
            switch group {
            case .array: return true
            case .object(let g):
                if case .array? = g["hosts"] { return true }
                if case .array? = g["children"] { return true }
                if case .object? = g["hosts"] { sawMap = true }
                if case .object? = g["children"] { sawMap = true }
            default: continue
            }
        }
        return !sawMap
    }
}

extension Inventory {
    /// Reads an inventory in any supported format, detected from content and file name
    /// unless `format` is given.
    ///
    /// - Parameters:
    ///   - text: the inventory text.
    ///   - format: the format, or `nil` to detect it.
    ///   - source: a file name for messages and as the extension hint.
    public static func read(text: String, format: InventoryFormat? = nil, source: String? = nil) throws(InventoryError)
        -> Inventory
    {
        let chosen = format ?? InventoryFormat.detect(text: text, fileName: source)
        switch chosen {
        case .json:
            let document: JSONValue
            let hostvars: JSONObjectTable?
            do {
                (document, hostvars) = try JSONParser.parseScript(text)
            } catch {
                throw InventoryError(
                    "not valid JSON: \(error.message)", source: source,
                    location: .line(error.line, column: error.column))
            }
            if InventoryFormat.isScriptForm(document) {
                return try ScriptJSONReader.read(document, hostvars: consume hostvars, source: source)
            }
            // JSON in the YAML plugin's shape is read as YAML, exactly as Ansible reads it.
            return try YAMLInventoryReader.read(text: text, source: source)
        case .yaml:
            return try YAMLInventoryReader.read(text: text, source: source)
        case .ini:
            return try INIInventoryReader.read(text: text, source: source)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space.
    func trimmingCharacters() -> String {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
