import OrderedCollections

extension Inventory {
    /// Writes the inventory as `ansible-inventory --list` text, byte for byte what
    /// `JSONWriter().write(scriptJSON(form:only:), into:)` writes, straight from the inventory:
    /// no second tree of the whole inventory is built, and the text is handed out in chunks, so
    /// a million-host inventory never sits in memory twice.
    ///
    /// - Parameters:
    ///   - form: merged (`--list`) or export (`--list --export`).
    ///   - only: when given, the indices of the hosts to include (see ``scriptJSON(form:only:)``).
    ///   - chunkSize: roughly how many bytes to collect before calling `emit`.
    ///   - emit: receives the text in order, in chunks of about `chunkSize` bytes; the text has
    ///     no trailing newline.
    public func writeScriptJSON(
        form: InventoryForm = .export, only: Set<Int>? = nil, chunkSize: Int = 1 << 20,
        emit: ([UInt8]) -> Void
    ) {
        withoutActuallyEscaping(emit) { emit in
            var stream = ScriptJSONStream(inventory: self, form: form, only: only, chunkSize: chunkSize, emit: emit)
            stream.writeDocument()
        }
    }

    /// The inventory as `ansible-inventory --list` UTF-8 text (see ``writeScriptJSON(form:only:chunkSize:emit:)``).
    public func scriptJSONBytes(form: InventoryForm = .export, only: Set<Int>? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        writeScriptJSON(form: form, only: only, chunkSize: Int.max) { bytes.append(contentsOf: $0) }
        return bytes
    }
}

/// The streaming form of ``Inventory/scriptJSON(form:only:)`` + ``JSONWriter``: the same
/// document (4-space indent, keys sorted by code point) written member by member.
private struct ScriptJSONStream {
    let inventory: Inventory
    let form: InventoryForm
    let only: Set<Int>?
    let chunkSize: Int
    let emit: ([UInt8]) -> Void
    let writer = JSONWriter()
    var out: [UInt8] = []

    init(inventory: Inventory, form: InventoryForm, only: Set<Int>?, chunkSize: Int, emit: @escaping ([UInt8]) -> Void)
    {
        self.inventory = inventory
        self.form = form
        self.only = only
        self.chunkSize = chunkSize
        self.emit = emit
        out.reserveCapacity(min(chunkSize, 1 << 20) + 4096)
    }

    /// The top-level members as printed: the `reached` groups that have an entry, and `nil`
    /// for `_meta` (which replaces a group of that name), by name in code point order.
    private static func members(of inventory: Inventory, reached: OrderedSet<Int>, hasEntry: (Int) -> Bool) -> [Int?] {
        let groups = inventory.groups
        var members: [Int?] = reached.filter { hasEntry($0) && groups.keys[$0] != "_meta" }
        members.append(nil)
        let name = { (member: Int?) -> String in member.map { groups.keys[$0] } ?? "_meta" }
        members.sort { codePointLess(name($0), name($1)) }
        return members
    }

    /// `"_meta": {` and `"hostvars": ` at level 2: what comes before the host vars.
    private static func openMeta(into out: inout [UInt8]) {
        out.append(contentsOf: "\"_meta\": {".utf8)
        JSONWriter().newline(2, into: &out)
        out.append(contentsOf: "\"hostvars\": ".utf8)
    }

    /// `"profile": "inventory_legacy"` and the end of `_meta`: what follows the host vars.
    private static func closeMeta(into out: inout [UInt8]) {
        let writer = JSONWriter()
        out.append(UInt8(ascii: ","))
        writer.newline(2, into: &out)
        // ansible-core 2.19 names the JSON profile; older versions ignore the key.
        out.append(contentsOf: "\"profile\": \"inventory_legacy\"".utf8)
        writer.newline(1, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    private mutating func flushIfFull() {
        if out.count >= chunkSize {
            emit(out)
            out.removeAll(keepingCapacity: true)
        }
    }

    private func includes(_ host: Int) -> Bool { only?.contains(host) ?? true }

    mutating func writeDocument() {
        let groups = inventory.groups
        // The groups `scriptJSON` formats: `all` and every group reached through children.
        let reached = inventory.descendantIndices(ofGroup: Inventory.allIndex)
        let members = Self.members(of: inventory, reached: reached, hasEntry: hasEntry)

        out.append(UInt8(ascii: "{"))
        for (n, member) in members.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            writer.newline(1, into: &out)
            if let gi = member {
                JSONWriter.writeString(groups.keys[gi], into: &out)
                out.append(contentsOf: ": ".utf8)
                writeGroupEntry(gi)
            } else {
                Self.openMeta(into: &out)
                writeHostvars(reachedGroups: reached)
                Self.closeMeta(into: &out)
            }
            flushIfFull()
        }
        writer.newline(0, into: &out)
        out.append(UInt8(ascii: "}"))
        emit(out)
        out.removeAll()
    }

    private func listsHosts(_ gi: Int) -> Bool {
        gi != Inventory.allIndex && inventory.groups.values[gi].hostIndices.contains { includes($0) }
    }

    private func hasEntry(_ gi: Int) -> Bool {
        let group = inventory.groups.values[gi]
        if !group.childIndices.isEmpty || listsHosts(gi) { return true }
        return form == .export && !group.exportVars.isEmpty
    }

    /// `{"children": [...], "hosts": [...], "vars": {...}}` at level 1, empty members left out.
    private mutating func writeGroupEntry(_ gi: Int) {
        let inventory = self.inventory
        let only = self.only
        let group = inventory.groups.values[gi]
        var first = true
        out.append(UInt8(ascii: "{"))
        if !group.childIndices.isEmpty {
            startMember("children", first: &first)
            writeNames(group.childIndices.lazy.map { inventory.groups.keys[$0] })
        }
        if listsHosts(gi) {
            startMember("hosts", first: &first)
            writeNames(group.hostIndices.lazy.filter { only?.contains($0) ?? true }.map { inventory.hosts.keys[$0] })
        }
        if form == .export {
            let vars = group.exportVars
            if !vars.isEmpty {
                startMember("vars", first: &first)
                writer.write(.object(vars), level: 2, into: &out)
            }
        }
        writer.newline(1, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    private mutating func startMember(_ key: StaticString, first: inout Bool) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        writer.newline(2, into: &out)
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(contentsOf: "\": ".utf8)
    }

    /// A non-empty list of names at level 2.
    private mutating func writeNames<Names: Sequence<String>>(_ names: Names) {
        out.append(UInt8(ascii: "["))
        var first = true
        for name in names {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writer.newline(3, into: &out)
            JSONWriter.writeString(name, into: &out)
            flushIfFull()
        }
        writer.newline(2, into: &out)
        out.append(UInt8(ascii: "]"))
    }

    /// `_meta.hostvars` at level 2: every host of a reached group (that `only` keeps) with
    /// non-empty vars, by name.
    private mutating func writeHostvars(reachedGroups: OrderedSet<Int>) {
        var isIncluded = [Bool](repeating: false, count: inventory.hosts.count)
        var included: [Int] = []
        for gi in reachedGroups {
            for hi in inventory.groups.values[gi].hostIndices where !isIncluded[hi] && includes(hi) {
                isIncluded[hi] = true
                included.append(hi)
            }
        }
        if form == .export { included.removeAll { inventory.hosts.values[$0].vars.isEmpty } }
        let sorted = HostOrder.sortedByName(included, names: inventory.hosts.keys)

        var first = true
        out.append(UInt8(ascii: "{"))
        for hi in sorted {
            let vars = form == .export ? inventory.hosts.values[hi].vars : inventory.mergedVars(ofHost: hi)
            if vars.isEmpty { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writer.newline(3, into: &out)
            JSONWriter.writeString(inventory.hosts.keys[hi], into: &out)
            out.append(contentsOf: ": ".utf8)
            writer.write(.object(vars), level: 3, into: &out)
            flushIfFull()
        }
        if first {
            out.append(UInt8(ascii: "}"))
        } else {
            writer.newline(2, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }
}

extension Group {
    /// The group's vars as `--export` shows them: `ansible_group_priority` back among them.
    var exportVars: JSONObject {
        var vars = self.vars
        if let priority, priority != 1 { vars["ansible_group_priority"] = .int(priority) }
        return vars
    }
}
