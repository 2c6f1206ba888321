/// ``ClaimAnswerText``'s inventory: ansible-core's rules applied to groups (through a real
/// ``Inventory`` that holds the groups, which are few) and to hosts (as numbers and byte
/// ranges, which are many), then written as ``Inventory/scriptJSONBytes(form:only:)`` writes.
extension ClaimAnswerText {
    /// `inventory-script --list` text for the batch: the same bytes as building the batch's
    /// ``Inventory`` (batch hosts, then groups in code point order with their children, hosts
    /// and vars, then host vars, then `allVars` on `all`, then ``Inventory/reconcile()``) and
    /// writing it with ``Inventory/scriptJSONBytes(form:only:)`` in export form. No trailing
    /// newline.
    ///
    /// `nil` when that road would fail or where this one is not sure to match it: a group's
    /// child that is not described, a host in a group or with vars that is not in the batch, a
    /// loop of groups, and the like. The caller then takes that road, for the inventory or for
    /// its exact error.
    public func scriptJSON(allVars: JSONObject) -> [UInt8]? {
        scriptJSONParts(allVars: allVars).map { Array($0.joined()) }
    }

    /// ``scriptJSON(allVars:)`` in parts, to be written one after another: the host vars (most
    /// of it) are handed out as they were rewritten instead of being copied once more.
    public func scriptJSONParts(allVars: JSONObject) -> [[UInt8]]? {
        body.withUnsafeBufferPointer { bytes in
            var build = ClaimAnswerBuild(answer: self, rewriter: JSONTextRewriter(bytes))
            guard build.apply(allVars: allVars) else { return nil }
            return build.write()
        }
    }
}

/// The inventory of one ``ClaimAnswerText``: groups in ``Inventory``, hosts as numbers.
private struct ClaimAnswerBuild {
    let answer: ClaimAnswerText
    let r: JSONTextRewriter
    var inventory = Inventory()
    var hosts: ByteSpanTable
    /// Per group (index into `inventory.groups`): its hosts in the order they joined.
    var members: [[Int32]] = []
    /// Per `hostvars` entry: whether `_meta.hostvars` shows it (it has vars, and its host is in
    /// a group after reconcile).
    var shown: [Bool] = []

    init(answer: ClaimAnswerText, rewriter: JSONTextRewriter) {
        self.answer = answer
        r = rewriter
        hosts = ByteSpanTable(rewriter.bytes, capacity: answer.hostNames.count)
    }

    /// What ``Inventory`` would do with the answer, in the same order; false where it would
    /// throw (or this is unsure).
    mutating func apply(allVars: JSONObject) -> Bool {
        var entryHosts: [Int] = []
        for name in answer.hostNames {
            if name.isEmpty { return false }
            _ = hosts.insert(name)
        }
        var described: [String: Int] = [:]
        for (n, group) in answer.groups.enumerated() { described[group.name] = n }
        let names = described.keys.sorted(by: codePointLess)
        do {
            for name in names { try inventory.addGroup(name) }
            members = Array(repeating: [], count: inventory.groups.count)
            // The host's last group, so that a name listed twice in a group joins it once.
            var lastGroup = [Int32](repeating: -1, count: hosts.count)
            for name in names {
                let group = answer.groups[described[name]!]
                for child in group.children {
                    guard described[child] != nil else { return false }
                    try inventory.addChild(name, child)
                }
                let gi = inventory.groups.index(forKey: name)!
                for host in group.hosts {
                    guard let hi = hosts.number(of: host) else { return false }
                    if lastGroup[hi] != Int32(gi) {
                        lastGroup[hi] = Int32(gi)
                        members[gi].append(Int32(hi))
                    }
                }
                for (key, value) in group.vars { try inventory.setVariable(name, key, value) }
            }
            var listed = [Bool](repeating: false, count: hosts.count)
            entryHosts.reserveCapacity(answer.hostvars.count)
            for entry in answer.hostvars {
                guard let hi = hosts.number(of: entry.name), !listed[hi] else { return false }
                listed[hi] = true
                entryHosts.append(hi)
            }
            for (key, value) in allVars { try inventory.setVariable("all", key, value) }
            try inventory.reconcile()
        } catch {
            return false
        }
        reconcileHosts()
        // A host whose only group is `ungrouped` under another group leaves `ungrouped` and so
        // every group (ansible-core does the same); _meta.hostvars leaves it out.
        var grouped = [Bool](repeating: false, count: hosts.count)
        for list in members { for hi in list { grouped[Int(hi)] = true } }
        shown = zip(answer.hostvars, entryHosts).map { entry, hi in !entry.text.isEmpty && grouped[hi] }
        return true
    }

    /// The host half of ``Inventory/reconcile()``: a host in no group but `all` joins
    /// `ungrouped`; one in `ungrouped` and in another group leaves `ungrouped`.
    private mutating func reconcileHosts() {
        let count = inventory.groups.count
        var inUngrouped = [Bool](repeating: false, count: hosts.count)
        var inOther = [Bool](repeating: false, count: hosts.count)
        for gi in 0..<count where !members[gi].isEmpty {
            var ungrouped = false, other = false
            for g in [gi] + inventory.ancestorIndices(ofGroup: gi) {
                if g == Inventory.ungroupedIndex { ungrouped = true } else if g != Inventory.allIndex { other = true }
            }
            for hi in members[gi] {
                if ungrouped { inUngrouped[Int(hi)] = true }
                if other { inOther[Int(hi)] = true }
            }
        }
        let u = Inventory.ungroupedIndex
        members[u].removeAll { inUngrouped[Int($0)] && inOther[Int($0)] }
        for hi in 0..<hosts.count where !inUngrouped[hi] && !inOther[hi] { members[u].append(Int32(hi)) }
    }

    // MARK: Writing

    private func hasEntry(_ gi: Int) -> Bool {
        let group = inventory.groups.values[gi]
        return !group.childIndices.isEmpty || (gi != Inventory.allIndex && !members[gi].isEmpty) || !group.exportVars.isEmpty
    }

    func write() -> [[UInt8]]? {
        let groups = inventory.groups
        let reached = inventory.descendantIndices(ofGroup: Inventory.allIndex)
        // Every group leads up to `all` after reconcile(); were it otherwise, _meta.hostvars
        // would leave the hosts of the others out.
        guard reached.count == groups.count else { return nil }
        let entries = ScriptJSONLayout.members(of: inventory, reached: reached, hasEntry: hasEntry)

        let writer = JSONWriter()
        var parts: [[UInt8]] = []
        var out: [UInt8] = []
        // The groups' host lists: each name on a line of its own, about 16 bytes more.
        out.reserveCapacity(members.reduce(0) { $0 + $1.count } * 48 + 4096)
        out.append(UInt8(ascii: "{"))
        for (n, entry) in entries.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            writer.newline(1, into: &out)
            if let gi = entry {
                JSONWriter.writeString(groups.keys[gi], into: &out)
                out.append(contentsOf: ": ".utf8)
                writeGroup(gi, into: &out)
            } else {
                ScriptJSONLayout.openMeta(into: &out)
                writeHostvars(into: &out, parts: &parts)
                ScriptJSONLayout.closeMeta(into: &out)
            }
        }
        writer.newline(0, into: &out)
        out.append(UInt8(ascii: "}"))
        parts.append(out)
        return parts
    }

    private func writeGroup(_ gi: Int, into out: inout [UInt8]) {
        let writer = JSONWriter()
        let group = inventory.groups.values[gi]
        var first = true
        func member(_ key: String) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writer.newline(2, into: &out)
            out.append(contentsOf: "\"\(key)\": ".utf8)
        }
        out.append(UInt8(ascii: "{"))
        if !group.childIndices.isEmpty {
            member("children")
            out.append(UInt8(ascii: "["))
            for (n, ci) in group.childIndices.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                writer.newline(3, into: &out)
                JSONWriter.writeString(inventory.groups.keys[ci], into: &out)
            }
            writer.newline(2, into: &out)
            out.append(UInt8(ascii: "]"))
        }
        if gi != Inventory.allIndex && !members[gi].isEmpty {
            member("hosts")
            out.append(UInt8(ascii: "["))
            for (n, hi) in members[gi].enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                writer.newline(3, into: &out)
                appendQuoted(hosts.spans[Int(hi)], into: &out)
            }
            writer.newline(2, into: &out)
            out.append(UInt8(ascii: "]"))
        }
        let vars = group.exportVars
        if !vars.isEmpty {
            member("vars")
            writer.write(.object(vars), level: 2, into: &out)
        }
        writer.newline(1, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// A name without escapes, as ``JSONWriter/writeString(_:into:)`` writes it.
    private func appendQuoted(_ span: Range<Int>, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: r.bytes[(span.lowerBound - 1)..<(span.upperBound + 1)]))
    }

    /// `_meta.hostvars`: the entries `shown` marks, by name. The members go into `parts` between
    /// what `out` holds so far and what follows.
    private func writeHostvars(into out: inout [UInt8], parts: inout [[UInt8]]) {
        let text = answer.hostvarsText
        if !shown.contains(true) {
            out.append(contentsOf: "{}".utf8)
            return
        }
        out.append(UInt8(ascii: "{"))
        parts.append(out)
        if answer.hostvarsSorted && zip(answer.hostvars, shown).allSatisfy({ entry, shown in entry.text.isEmpty || shown }) {
            parts.append(text)
        } else {
            var order = answer.hostvars.indices.filter { shown[$0] }
            if !answer.hostvarsSorted { order.sort { r.bytesPrecede(answer.hostvars[$0].name, answer.hostvars[$1].name) } }
            var sorted: [UInt8] = []
            sorted.reserveCapacity(text.count)
            for (n, e) in order.enumerated() {
                if n > 0 { sorted.append(UInt8(ascii: ",")) }
                sorted.append(contentsOf: text[answer.hostvars[e].text])
            }
            parts.append(sorted)
        }
        // What follows (the groups named after `_meta`, usually most) gets the room `out` had.
        let room = out.capacity
        out = []
        out.reserveCapacity(room)
        JSONWriter().newline(2, into: &out)
        out.append(UInt8(ascii: "}"))
    }
}
