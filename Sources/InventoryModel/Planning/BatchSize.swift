/// How many hosts go in each batch: Ansible's play keyword `serial`.
///
/// A count (`25`), a percentage of all the hosts of the rollout (`"10%"`), or a ramp list
/// (`[1, 5, "20%"]`) whose items size the first batches in turn and whose last item sizes every
/// batch after that. Percentages are taken of the whole host count (not of what is left),
/// truncated as Ansible's `pct_to_int` does with floating point (`29%` of 100 is 28), and give at
/// least one host. Zero and negative sizes, which Ansible reads as "all remaining hosts in one
/// batch", are rejected so that every batch is a real, bounded batch.
///
/// Encodes as the JSON Ansible accepts: an integer, a string, or a list of both.
public struct BatchSize: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One item of a `serial` list.
    public enum Item: Sendable, Hashable, CustomStringConvertible {
        /// A number of hosts, at least 1.
        case count(Int)
        /// A percentage of all hosts, at least 1 (values over 100 are allowed, as in Ansible).
        case percent(Int)

        public var description: String {
            switch self {
            case .count(let n): return String(n)
            case .percent(let p): return "\(p)%"
            }
        }

        /// Ansible's `pct_to_int(value, hostCount)`; never less than 1.
        public func size(hostCount: Int) -> Int {
            switch self {
            case .count(let n):
                return n
            case .percent(let p):
                // Same IEEE-754 arithmetic as Python: (p / 100.0) * n, then int() truncation.
                let exact = (Double(p) / 100.0) * Double(hostCount)
                guard exact < 9.0e18 else { return Int.max }
                return max(Int(exact), 1)
            }
        }
    }

    /// The items in order; never empty. The last one repeats.
    public let items: [Item]
    /// Whether it was written as a list, so a one-item list encodes back as a list.
    public let isList: Bool

    /// A batch size from items; `isList` defaults to "more than one item".
    public init(_ items: [Item], isList: Bool? = nil) throws(InventoryError) {
        guard !items.isEmpty else { throw InventoryError("batch_size must not be an empty list") }
        for item in items {
            switch item {
            case .count(let n) where n < 1:
                throw InventoryError("batch_size items must be at least 1 host, got \(n)")
            case .percent(let p) where p < 1:
                throw InventoryError("batch_size percentages must be at least 1%, got \(p)%")
            default: break
            }
        }
        self.items = items
        self.isList = isList ?? (items.count > 1)
    }

    /// A fixed number of hosts per batch.
    public static func count(_ n: Int) throws(InventoryError) -> BatchSize { try BatchSize([.count(n)]) }

    /// A percentage of all hosts per batch.
    public static func percent(_ p: Int) throws(InventoryError) -> BatchSize { try BatchSize([.percent(p)]) }

    /// Parses command-line text: `25`, `10%`, or a comma-separated ramp `1,5,20%`.
    public init(parsing text: String) throws(InventoryError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var items: [Item] = []
        for part in parts { items.append(try Self.item(from: String(part))) }
        try self.init(items, isList: parts.count > 1)
    }

    /// One item from text, as `pct_to_int` reads strings: `"10%"` is a percentage, any other
    /// string must be an integer. Only ASCII digits are accepted (Python's `int()` would also
    /// take `+5`, `1_000` and non-ASCII digits).
    static func item(from raw: String) throws(InventoryError) -> Item {
        let text = raw.trimmingSpaces()
        let isPercent = text.hasSuffix("%")
        let digits = isPercent ? text.dropLast().trimmingSuffixSpaces() : text
        let negative = digits.hasPrefix("-")
        let magnitude = negative ? digits.dropFirst() : digits
        guard !magnitude.isEmpty, magnitude.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(magnitude)
        else {
            throw InventoryError(
                "Invalid batch_size item '\(raw)': expected a number of hosts such as 25 or a percentage such as 10%")
        }
        let item: Item = isPercent ? .percent(negative ? -value : value) : .count(negative ? -value : value)
        _ = try BatchSize([item])
        return item
    }

    /// The size of batch `k` (1-based) before it is cut short by the hosts left.
    public func nominalSize(ofBatch k: Int, hostCount: Int) -> Int {
        items[min(k, items.count) - 1].size(hostCount: hostCount)
    }

    /// The text form accepted by ``init(parsing:)``: `25`, `10%`, `1,5,20%`.
    public var description: String { items.map(\.description).joined(separator: ",") }

    public init(from decoder: any Decoder) throws {
        func item(_ c: any SingleValueDecodingContainer) throws -> Item {
            if let n = try? c.decode(Int.self) { return try Self.checked(.count(n)) }
            if let d = try? c.decode(Double.self), let n = Int(exactly: d) {
                return try Self.checked(.count(n))
            }
            guard let s = try? c.decode(String.self) else {
                throw DecodingError.dataCorruptedError(
                    in: c,
                    debugDescription: "batch_size must be an integer, a string such as \"10%\", or a list of them")
            }
            do { return try Self.item(from: s) } catch {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: error.message)
            }
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [Item] = []
            while !list.isAtEnd {
                items.append(try item(try list.superDecoder().singleValueContainer()))
            }
            do { try self.init(items, isList: true) } catch {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: error.message))
            }
        } else {
            self = try BatchSize([try item(try decoder.singleValueContainer())], isList: false)
        }
    }

    private static func checked(_ item: Item) throws -> Item {
        _ = try BatchSize([item])
        return item
    }

    public func encode(to encoder: any Encoder) throws {
        func encodeItem(_ item: Item, _ c: inout some SingleValueEncodingContainer) throws {
            switch item {
            case .count(let n): try c.encode(n)
            case .percent: try c.encode(item.description)
            }
        }
        if isList {
            var list = encoder.unkeyedContainer()
            for item in items {
                switch item {
                case .count(let n): try list.encode(n)
                case .percent: try list.encode(item.description)
                }
            }
        } else {
            var c = encoder.singleValueContainer()
            try encodeItem(items[0], &c)
        }
    }
}

extension Substring {
    func trimmingSuffixSpaces() -> Substring {
        var s = self
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
