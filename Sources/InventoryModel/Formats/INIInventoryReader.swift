/// Reads INI inventories exactly as ansible-core's `ini` inventory plugin does (`_parse`).
///
/// - Lines before any section hold hosts of `ungrouped`; blank lines and lines starting with
///   `#` or `;` are skipped.
/// - `[group]`, `[group:vars]` and `[group:children]` open sections; a comment may follow the
///   `]`. Other section types, and lines starting with `[` and ending with `]` that are no
///   valid section, are errors.
/// - Host lines are split like `shlex.split(line, comments=True)`: a host pattern (`host`,
///   `host:port`, ranges such as `web[01:50]`), then `key=value` host variables.
/// - `[group:vars]` lines are `key = value`, split on the first `=`, without shell quoting.
/// - Values are typed like Ansible's `_parse_value`: whatever `ast.literal_eval` accepts
///   (`1` is an int, `"[1, 2]"` a list, `'x'` a string without quotes), else the text.
/// - `[group:vars]` may name a group that is only declared later, and `[group:children]` may
///   list groups declared later; what is still undeclared at the end is an error.
///
/// Errors carry the source name and the line, with ansible-core's wording.
public enum INIInventoryReader {
    /// Reads INI inventory text, then reconciles `all`/`ungrouped` as Ansible does.
    ///
    /// - Parameters:
    ///   - text: the inventory file's contents.
    ///   - source: the file name, for error messages.
    public static func read(text: String, source: String? = nil) throws(InventoryError) -> Inventory {
        var parser = INIParser()
        do {
            try parser.parse(text)
            try parser.inventory.reconcile()
        } catch {
            throw error.inSource(source)
        }
        return parser.inventory
    }
}

/// The state of one `_parse` run.
private struct INIParser {
    enum State: String {
        case hosts, vars, children
    }

    /// A group used before it was declared, as Ansible's `pending_declarations` holds them.
    struct Pending {
        var line: Int
        var state: State
        var parents: [String]
    }

    var inventory = Inventory()
    var pending: [String: Pending] = [:]
    /// Insertion order of `pending`, since Ansible reports the first one left (a dict's order).
    var pendingOrder: [String] = []
    var warnedGroupNames = false

    mutating func parse(_ text: String) throws(InventoryError) {
        var groupName = "ungrouped"
        var state = State.hosts
        for (offset, rawLine) in PythonText.splitLines(text).enumerated() {
            let lineNumber = offset + 1
            let line = PythonText.strip(rawLine)
            guard let first = line.unicodeScalars.first, first != "#", first != ";" else { continue }
            do throws(InventoryError) {
                if let (name, tag) = Self.matchSection(line) {
                    let newState = State(rawValue: tag ?? "hosts")
                    guard let newState else {
                        throw InventoryError("Section [\(name):\(tag ?? "")] has unknown type: \(tag ?? "")")
                    }
                    groupName = name
                    state = newState
                    try declare(groupName, state: state, line: lineNumber)
                    continue
                }
                if first == "[" && line.unicodeScalars.last == "]" {
                    throw InventoryError(
                        "Invalid section entry: '\(line)'. Please make sure that there are no spaces in the section "
                            + "entry, "
                            + "and that there are no other invalid characters")
                }
                switch state {
                case .hosts: try parseHostLine(line, group: groupName)
                case .vars: try parseVariableLine(line, group: groupName)
                case .children: try parseChildLine(line, group: groupName, line: lineNumber)
                }
            } catch {
                throw error.location == nil ? InventoryError(error.message, location: .line(lineNumber)) : error
            }
        }
        // Ansible reports only the first declaration still pending.
        for name in pendingOrder {
            guard let decl = pending[name] else { continue }
            switch decl.state {
            case .vars:
                throw InventoryError(
                    "Section [\(name):vars] not valid for undefined group '\(name)'.", location: .line(decl.line))
            default:
                throw InventoryError(
                    "Section [\(decl.parents.last ?? ""):children] includes undefined group '\(name)'.",
                    location: .line(decl.line))
            }
        }
    }

    /// A section header: `[group]` and `[group:children]` declare the group; `[group:vars]`
    /// makes it exist but stays pending until the group is declared.
    mutating func declare(_ name: String, state: State, line: Int) throws(InventoryError) {
        if inventory.groups[name] == nil {
            if state == .vars && pending[name] == nil {
                addPending(name, Pending(line: line, state: .vars, parents: []))
            }
            try addGroup(name)
        }
        if let decl = pending[name], state != .vars {
            if decl.state == .children {
                try addPendingChildren(name)
            } else if decl.state == .vars {
                pending[name] = nil
            }
        }
    }

    mutating func addPending(_ name: String, _ decl: Pending) {
        pending[name] = decl
        pendingOrder.append(name)
    }

    /// `_add_pending_children`.
    mutating func addPendingChildren(_ group: String) throws(InventoryError) {
        guard let decl = pending[group] else { return }
        for parent in decl.parents {
            try inventory.addChild(parent, group)
            if let parentDecl = pending[parent], parentDecl.state == .children {
                try addPendingChildren(parent)
            }
        }
        pending[group] = nil
    }

    mutating func addGroup(_ name: String) throws(InventoryError) {
        // ansible-core's default TRANSFORM_INVALID_GROUP_CHARS=never keeps the name and warns once.
        if !warnedGroupNames && !Self.isSafeGroupName(name) {
            warnedGroupNames = true
            inventory.warnings.append(
                "Invalid characters were found in group names but not replaced, use -vvvv to see details")
        }
        try inventory.addGroup(name)
    }

    mutating func parseHostLine(_ line: Substring, group: String) throws(InventoryError) {
        let tokens: [String]
        do {
            tokens = try Shlex.split(line, comments: true)
        } catch {
            throw InventoryError("Error parsing host definition '\(line)': \(error.message)")
        }
        // A stripped, non-comment line always yields a first token.
        let pattern = tokens[0]
        let (hosts, port) = try HostRange.expand(pattern)
        if port == nil && PythonText.strip(pattern[...]).hasSuffix(":") {
            throw InventoryError(
                "Invalid host pattern '\(pattern)' supplied, ending in ':' is not allowed, this character is "
                    + "reserved to provide a port."
            )
        }
        for host in hosts where PythonText.strip(host[...]) == "---" {
            throw InventoryError(
                "Invalid host pattern '\(pattern)' supplied, '---' is normally a sign this is a YAML file.")
        }
        var variables = JSONObject()
        for token in tokens.dropFirst() {
            guard let eq = token.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                throw InventoryError("Expected key=value host variable assignment, got: \(token)")
            }
            variables[String(token[..<eq])] = try PythonLiteral.inventoryValue(token[token.index(after: eq)...])
        }
        for host in hosts {
            try inventory.addHost(host, group: group, port: port)
            for (key, value) in variables { try inventory.setVariable(host, key, value) }
        }
    }

    mutating func parseVariableLine(_ line: Substring, group: String) throws(InventoryError) {
        guard let eq = line.utf8.firstIndex(of: UInt8(ascii: "=")) else {
            throw InventoryError("Expected key=value, got: \(line)")
        }
        let key = PythonText.strip(line[..<eq])
        let value = PythonText.strip(line[line.index(after: eq)...])
        try inventory.setVariable(group, String(key), try PythonLiteral.inventoryValue(value))
    }

    mutating func parseChildLine(_ line: Substring, group: String, line lineNumber: Int) throws(InventoryError) {
        guard let child = Self.matchGroupName(line) else { throw InventoryError("Expected group name, got: \(line)") }
        if inventory.groups[child] == nil {
            if var decl = pending[child] {
                decl.parents.append(group)
                pending[child] = decl
            } else {
                addPending(child, Pending(line: lineNumber, state: .children, parents: [group]))
            }
        } else {
            try inventory.addChild(group, child)
        }
    }

    // MARK: Ansible's regular expressions

    /// `^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:\#.*)?$`
    static func matchSection(_ line: Substring) -> (name: String, tag: String?)? {
        let s = line.unicodeScalars
        guard s.first == "[" else { return nil }
        var i = s.index(after: s.startIndex)
        let nameStart = i
        while i < s.endIndex, s[i] != ":", s[i] != "]", !PythonText.isSpace(s[i]) { i = s.index(after: i) }
        guard i > nameStart, i < s.endIndex else { return nil }
        let name = String(String.UnicodeScalarView(s[nameStart..<i]))
        var tag: String?
        if s[i] == ":" {
            i = s.index(after: i)
            let tagStart = i
            while i < s.endIndex, PythonText.isWordChar(s[i]) { i = s.index(after: i) }
            guard i > tagStart else { return nil }
            tag = String(String.UnicodeScalarView(s[tagStart..<i]))
        }
        guard i < s.endIndex, s[i] == "]" else { return nil }
        i = s.index(after: i)
        guard isTrailingComment(s[i...]) else { return nil }
        return (name, tag)
    }

    /// `^([^:\]\s]+)\s*(?:\#.*)?$`
    static func matchGroupName(_ line: Substring) -> String? {
        let s = line.unicodeScalars
        var i = s.startIndex
        while i < s.endIndex, s[i] != ":", s[i] != "]", !PythonText.isSpace(s[i]) { i = s.index(after: i) }
        guard i > s.startIndex, isTrailingComment(s[i...]) else { return nil }
        return String(String.UnicodeScalarView(s[..<i]))
    }

    /// `\s*(?:\#.*)?$`
    static func isTrailingComment(_ rest: Substring.UnicodeScalarView) -> Bool {
        guard let nonSpace = rest.firstIndex(where: { !PythonText.isSpace($0) }) else { return true }
        return rest[nonSpace] == "#"
    }

    /// Ansible's `INVALID_VARIABLE_NAMES` (`^[\d\W]|[^\w]`) finds nothing.
    static func isSafeGroupName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, PythonText.isWordChar(first),
            first.properties.numericType != .decimal
        else {
            return false
        }
        return name.unicodeScalars.allSatisfy(PythonText.isWordChar)
    }
}
