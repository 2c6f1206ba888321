/// Host names with ranges and ports as Ansible's file inventories read them:
/// `web[01:50].example.com`, `db-[a:f]`, `node[1:10:2]`, `host:2222`, `[::1]:2222`.
public enum HostRange {
    /// Splits off a port and expands ranges, as ansible-core's
    /// `BaseFileInventoryPlugin._expand_hostpattern` does.
    ///
    /// A pattern that is no valid address keeps its text whole and gets no port, as in Ansible.
    public static func expand(_ pattern: String) throws(InventoryError) -> (hosts: [String], port: Int?) {
        var host = pattern
        var port: Int?
        if let parsed = HostAddress.parse(pattern) {
            host = parsed.host
            port = parsed.port
        }
        if host.contains("[") {
            return (try expandRanges(host), port)
        }
        return ([host], port)
    }

    private static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// Python's `int(text)`: surrounding white space, a sign, and `_` between digits allowed.
    static func pythonInt(_ text: String) -> Int? {
        var s = PythonText.strip(text[...])
        var negative = false
        if let sign = s.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            s = s.dropFirst()
        }
        guard let f = s.first, f.isASCIIDigit, let l = s.last, l.isASCIIDigit, !s.contains("__") else { return nil }
        let digits = s.filter { $0 != "_" }
        guard digits.allSatisfy(\.isASCIIDigit), let magnitude = Int(digits) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// Expands every `[begin:end(:step)]` range, left to right, as `expand_hostname_range` does.
    public static func expandRanges(_ line: String) throws(InventoryError) -> [String] {
        guard let open = line.firstIndex(of: "[") else { return [line] }
        // Ansible replaces the first '[' and then the first ']' (wherever it is) with '|' and splits.
        var rest = line
        rest.replaceSubrange(open...open, with: "|")
        guard let close = rest.firstIndex(of: "]") else {
            throw InventoryError("host range must be begin:end or begin:end:step: \(line)")
        }
        rest.replaceSubrange(close...close, with: "|")
        let parts = rest.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw InventoryError("host range must be begin:end or begin:end:step: \(line)")
        }
        let head = String(parts[0])
        let tail = String(parts[2])
        let bounds = parts[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else {
            throw InventoryError("host range must be begin:end or begin:end:step: \(line)")
        }
        var begin = bounds[0]
        let end = bounds[1]
        if begin.isEmpty { begin = "0" }
        guard !end.isEmpty else { throw InventoryError("host range must specify end value: \(line)") }
        var width: Int?
        if begin.first == "0" && begin.count > 1 {
            guard begin.count == end.count else {
                throw InventoryError("host range must specify equal-length begin and end formats: \(line)")
            }
            width = begin.count
        }
        let step = bounds.count == 3 ? pythonInt(bounds[2]) : 1
        var items: [String] = []
        // `string.ascii_letters.index(beg)` is a substring search, so `[ab:cd]` is a letter range too.
        if let b = letters.firstRange(of: begin)?.lowerBound, let e = letters.firstRange(of: end)?.lowerBound {
            guard b <= e else { throw InventoryError("host range must have begin <= end: \(line)") }
            guard let step, step != 0 else {
                throw InventoryError("host range step must be a non-zero integer: \(line)")
            }
            // Python's `ascii_letters[b:e + 1:step]`: a negative step walks away from the end, so nothing.
            if step > 0 { items = stride(from: b, through: e, by: step).map { String(letters[$0]) } }
        } else {
            guard let b = pythonInt(begin), let e = pythonInt(end) else {
                throw InventoryError("host range bounds must be integers or single letters: \(line)")
            }
            guard let step, step != 0 else {
                throw InventoryError("host range step must be a non-zero integer: \(line)")
            }
            // Python's range(b, e + 1, step): empty when the step points away from the end.
            items = stride(from: b, to: e + 1, by: step).map { n in
                guard let width else { return String(n) }
                // `str(n).zfill(width)`: zeros go after the sign.
                let digits = String(n.magnitude)
                let sign = n < 0 ? "-" : ""
                let pad = max(0, width - sign.count - digits.count)
                return sign + String(repeating: "0", count: pad) + digits
            }
        }
        var hosts: [String] = []
        hosts.reserveCapacity(items.count)
        for item in items {
            let name = head + item + tail
            if name.contains("[") {
                hosts.append(contentsOf: try expandRanges(name))
            } else {
                hosts.append(name)
            }
        }
        return hosts
    }
}
