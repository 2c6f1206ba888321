/// A claim answer (`POST /api/v1/cursors/NAME/claim`) as text, read just far enough that
/// `inventory-script --list` can print the batch's inventory straight from it
/// (``scriptJSON(allVars:)``), without value trees of its hosts' vars.
///
/// At 10k hosts the answer is a few MB; parsing it into values, decoding them, building an
/// ``Inventory`` and writing it out again took most of `--list`'s time. Here the batch's groups
/// are read (they are few), the host names are kept as byte ranges, and each host's vars are
/// rewritten into `ansible-inventory`'s layout as they are read.
///
/// It is only a faster road to the same bytes: wherever it cannot be sure of giving exactly
/// what the full road (parse, decode, ``Inventory``, ``Inventory/scriptJSONBytes(form:only:)``)
/// gives, including every answer that road rejects, it gives `nil` and the caller takes the
/// full road, which then prints the same inventory or says what is wrong.
public struct ClaimAnswerText: Sendable {
    let body: [UInt8]
    /// `batch.hosts`, in order, as ranges of `body` (ASCII names without escapes, see
    /// ``JSONTextRewriter/plainName(_:)``).
    let hostNames: [Range<Int>]
    /// `batch.groups`, in document order.
    let groups: [GroupText]
    /// `batch.hostvars`, in document order.
    let hostvars: [HostvarsEntry]
    /// The entries of `hostvars` with vars, each as `_meta.hostvars` prints it at level 3,
    /// with a comma before every one but the first: already that object's members if the
    /// names came sorted.
    let hostvarsText: [UInt8]
    /// Whether `batch.hostvars` names came in strictly increasing code point order.
    let hostvarsSorted: Bool

    /// The answer with `batch.groups` and `batch.hostvars` replaced by `null` and `batch.hosts`
    /// by `[]`: the small rest, for decoding the claim's facts (cursor, progress, lease); the
    /// number of hosts is ``listedHostCount``.
    public let summary: [UInt8]

    /// A group of `batch.groups` as the API's `BatchGroup` decodes it.
    struct GroupText: Sendable {
        var name: String
        var hosts: [Range<Int>] = []
        var children: [String] = []
        var vars: JSONObject = [:]
    }

    /// A member of `batch.hostvars`: the host's name, and its text in `hostvarsText` (empty
    /// for `{}`).
    struct HostvarsEntry: Sendable {
        var name: Range<Int>
        var text: Range<Int>
    }

    /// Reads the answer's structure; `nil` when the answer is not one this road is sure of (no
    /// batch, a repeated key, escapes in a host name, anything the parser could read otherwise
    /// or reject).
    public init?(_ body: [UInt8]) {
        guard let scan = body.withUnsafeBufferPointer({ bytes -> ClaimAnswerScan? in
            var scan = ClaimAnswerScan(JSONTextRewriter(bytes))
            do {
                try scan.scanDocument()
            } catch {
                return nil
            }
            return scan
        }) else { return nil }
        self.body = body
        hostNames = scan.hostNames
        groups = scan.groups
        hostvars = scan.hostvars
        hostvarsText = scan.hostvarsText
        hostvarsSorted = scan.hostvarsSorted
        var summary: [UInt8] = []
        var from = 0
        for (span, text) in scan.replaced {
            summary.append(contentsOf: body[from..<span.lowerBound])
            summary.append(contentsOf: text.utf8)
            from = span.upperBound
        }
        summary.append(contentsOf: body[from...])
        self.summary = summary
    }

    /// How many hosts the batch lists (repeats included, as `batch.hosts.count`).
    public var listedHostCount: Int { hostNames.count }
}

/// The one pass over a claim answer behind ``ClaimAnswerText/init(_:)``.
private struct ClaimAnswerScan {
    var r: JSONTextRewriter
    var hostNames: [Range<Int>] = []
    var sawHosts = false
    var groups: [ClaimAnswerText.GroupText] = []
    var hostvars: [ClaimAnswerText.HostvarsEntry] = []
    var hostvarsText: [UInt8] = []
    var hostvarsSorted = true
    /// Value ranges of `hosts`, `groups` and `hostvars` and what the summary has instead, in order.
    var replaced: [(Range<Int>, String)] = []

    init(_ r: JSONTextRewriter) { self.r = r }

    private var bytes: UnsafeBufferPointer<UInt8> { r.bytes }

    private func matches(_ key: Range<Int>, _ word: StaticString) -> Bool {
        guard key.count == word.utf8CodeUnitCount else { return false }
        for n in 0..<key.count where bytes[key.lowerBound + n] != word.utf8Start[n] { return false }
        return true
    }

    /// The key of the next member (after `{` or `,`), its `:` stepped over; a repeated key stops
    /// the scan (the parser keeps the last value, the decoder would see only that).
    private func key(_ i: inout Int, seen: inout [Range<Int>]) throws(JSONTextUnsure) -> Range<Int> {
        guard let key = try r.plainString(&i) else { throw JSONTextUnsure() }
        for other in seen where r.bytesEqual(other, key) { throw JSONTextUnsure() }
        seen.append(key)
        try r.expect(UInt8(ascii: ":"), &i)
        r.skipWhitespace(&i)
        return key
    }

    /// Steps into a non-empty object at `i`; false (and past it) for `{}`.
    private func open(_ i: inout Int) throws(JSONTextUnsure) -> Bool {
        r.skipWhitespace(&i)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { throw JSONTextUnsure() }
        if r.isEmpty(closing: UInt8(ascii: "}"), &i) { return false }
        i += 1
        return true
    }

    private func isNull(_ i: Int) -> Bool {
        i + 4 <= bytes.count && bytes[i] == UInt8(ascii: "n")
    }

    mutating func scanDocument() throws(JSONTextUnsure) {
        var i = 0
        // A byte order mark: the parser skips it; rare enough to leave to it.
        guard try open(&i) else { throw JSONTextUnsure() }
        var seen: [Range<Int>] = []
        var sawBatch = false
        repeat {
            let key = try key(&i, seen: &seen)
            if matches(key, "batch") {
                // A done rollout (`null`) is a small answer: the full road is quick.
                guard try open(&i) else { throw JSONTextUnsure() }
                try scanBatch(&i)
                sawBatch = true
            } else {
                try r.skipValue(&i, depth: 1)
            }
        } while try r.next(closing: UInt8(ascii: "}"), &i)
        r.skipWhitespace(&i)
        guard i == bytes.count, sawBatch, sawHosts else { throw JSONTextUnsure() }
    }

    private mutating func scanBatch(_ i: inout Int) throws(JSONTextUnsure) {
        var seen: [Range<Int>] = []
        repeat {
            let key = try key(&i, seen: &seen)
            let start = i
            if matches(key, "hosts") {
                hostNames = try plainStrings(&i)
                sawHosts = true
                replaced.append((start..<i, "[]"))
            } else if matches(key, "groups"), !isNull(i) {
                try scanGroups(&i)
                replaced.append((start..<i, "null"))
            } else if matches(key, "hostvars"), !isNull(i) {
                try scanHostvars(&i)
                replaced.append((start..<i, "null"))
            } else {
                try r.skipValue(&i, depth: 2)
            }
        } while try r.next(closing: UInt8(ascii: "}"), &i)
    }

    /// A list of host names (`null` as none, as the decoder's default).
    private mutating func plainStrings(_ i: inout Int) throws(JSONTextUnsure) -> [Range<Int>] {
        let r = self.r
        return try list(&i) { (i: inout Int) throws(JSONTextUnsure) in try r.plainName(&i) }
    }

    /// A list of strings, escapes read (`null` as none).
    private mutating func strings(_ i: inout Int) throws(JSONTextUnsure) -> [String] {
        let r = self.r
        return try list(&i) { (i: inout Int) throws(JSONTextUnsure) in try r.string(&i) }
    }

    /// A JSON list at `i` (`null` as an empty one), each element read by `element`.
    private mutating func list<Element>(_ i: inout Int, _ element: (inout Int) throws(JSONTextUnsure) -> Element) throws(JSONTextUnsure) -> [Element] {
        if isNull(i) {
            try r.skipValue(&i, depth: 4)
            return []
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { throw JSONTextUnsure() }
        if r.isEmpty(closing: UInt8(ascii: "]"), &i) { return [] }
        i += 1
        var result: [Element] = []
        repeat {
            result.append(try element(&i))
        } while try r.next(closing: UInt8(ascii: "]"), &i)
        return result
    }

    private mutating func scanGroups(_ i: inout Int) throws(JSONTextUnsure) {
        guard try open(&i) else { return }
        var names = Set<String>()
        repeat {
            guard let nameRange = try r.plainString(&i) else { throw JSONTextUnsure() }
            var group = ClaimAnswerText.GroupText(name: String(decoding: UnsafeBufferPointer(rebasing: bytes[nameRange]), as: UTF8.self))
            guard names.insert(group.name).inserted else { throw JSONTextUnsure() }
            try r.expect(UInt8(ascii: ":"), &i)
            if try open(&i) {
                var seen: [Range<Int>] = []
                repeat {
                    let key = try key(&i, seen: &seen)
                    if matches(key, "hosts") {
                        group.hosts = try plainStrings(&i)
                    } else if matches(key, "children") {
                        group.children = try strings(&i)
                    } else if matches(key, "vars") {
                        group.vars = try object(&i)
                    } else {
                        try r.skipValue(&i, depth: 4)
                    }
                } while try r.next(closing: UInt8(ascii: "}"), &i)
            }
            groups.append(group)
        } while try r.next(closing: UInt8(ascii: "}"), &i)
    }

    /// An object read by the parser (`null` as empty): group vars, which are few.
    private mutating func object(_ i: inout Int) throws(JSONTextUnsure) -> JSONObject {
        let start = i
        try r.skipValue(&i, depth: 4)
        do {
            switch try JSONParser.parse(bytes: UnsafeBufferPointer(rebasing: bytes[start..<i])) {
            case .object(let object): return object
            case .null: return [:]
            default: throw JSONTextUnsure()
            }
        } catch {
            throw JSONTextUnsure()
        }
    }

    /// Rewrites the host vars into `hostvarsText`, an array written in place (``ByteOutput``)
    /// with room for three times the rest of the answer (the service's host vars about double;
    /// untouched room costs no memory); in the rare answer that needs more, it starts again with
    /// twice the room.
    private mutating func scanHostvars(_ i: inout Int) throws(JSONTextUnsure) {
        var room = 3 * (bytes.count - i) + 65536
        while true {
            var j = i
            var failure: JSONTextUnsure?
            hostvars = []
            hostvars.reserveCapacity(hostNames.count)
            hostvarsSorted = true
            hostvarsText = [UInt8](unsafeUninitializedCapacity: room) { buffer, count in
                HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
                var out = ByteOutput(buffer)
                do throws(JSONTextUnsure) {
                    try rewriteHostvars(&j, into: &out)
                } catch {
                    failure = error
                }
                count = out.count
            }
            guard let failure else {
                i = j
                return
            }
            guard failure.outOfRoom else { throw failure }
            room *= 2
        }
    }

    private mutating func rewriteHostvars(_ i: inout Int, into out: inout ByteOutput) throws(JSONTextUnsure) {
        guard try open(&i) else { return }
        var previous: Range<Int>?
        var written = false
        repeat {
            let name = try r.plainName(&i)
            if let previous, !r.bytesPrecede(previous, name) { hostvarsSorted = false }
            previous = name
            try r.expect(UInt8(ascii: ":"), &i)
            // Vars that are not an object: the decoder says so.
            guard try open(&i) else {
                hostvars.append(.init(name: name, text: 0..<0))
                continue
            }
            i -= 1
            if written { try out.append(UInt8(ascii: ",")) }
            written = true
            let start = out.count
            try out.newline(3)
            try out.append(UnsafeBufferPointer(rebasing: bytes[(name.lowerBound - 1)..<(name.upperBound + 1)]))
            try out.append(": " as StaticString)
            try r.rewriteValue(&i, level: 3, depth: 3, into: &out)
            hostvars.append(.init(name: name, text: start..<out.count))
        } while try r.next(closing: UInt8(ascii: "}"), &i)
    }
}
