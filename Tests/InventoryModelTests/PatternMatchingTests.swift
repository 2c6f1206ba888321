@testable import InventoryModel
import Testing

/// The name matchers behind host patterns, checked against Python 3.11 (the interpreter of the
/// ansible-core 2.19.14 venv): `re.compile(fnmatch.translate(p)).match(name)` for globs and
/// `re.compile(p).match(name)` for `~` regexes. Expected lists were printed by Python.
@Suite("Glob and regex matching, as Python's fnmatch and re")
struct PatternMatchingTests {
    static let globNames = [
        "web1", "web-1", "a-b", "a]", "!x", "^x", "\\x", "-", "b", "c", "]", "a\nb", "\u{E9}",
        "[x", "x&y", "abcabc", "abc",
    ]

    static let globCases: [(String, [String])] = [
        ("web[0-9]", ["web1"]), ("web[!0-9]*", ["web-1"]),
        ("[]]", ["]"]), ("[]a]", ["]"]),
        ("[!]]*", globNames.filter { $0 != "]" }),
        ("[^x]x", ["^x"]),  // `^` is a member, not a negation
        ("[\\]x", ["\\x"]),  // no escaping in globs
        ("[a-]", ["-"]), ("[-a]", ["-"]), ("[!-]", ["b", "c", "]", "\u{E9}"]),
        ("[c-a]", []),  // reversed range dropped: the set is empty
        ("[a-c-e]", ["-", "b", "c"]), ("[c-b-a]", ["-"]),
        ("a?b", ["a-b", "a\nb"]), ("a*b", ["a-b", "a\nb"]),  // ? and * match newlines
        ("*c*c", ["abcabc"]), ("[[]x", ["[x"]), ("x[&]y", ["x&y"]),
        ("a*", ["a-b", "a]", "a\nb", "abcabc", "abc"]), ("*", globNames),
        ("[\u{E9}]", ["\u{E9}"]), ("[a-cx-z]", ["b", "c"]), ("[!a-c]", ["-", "]", "\u{E9}"]),
        ("abc*abc", ["abcabc"]), ("*abc", ["abcabc", "abc"]),
    ]

    @Test(arguments: globCases)
    func glob(pattern: String, expected: [String]) {
        let glob = GlobPattern(pattern)
        #expect(Self.globNames.filter(glob.matches) == expected)
    }

    static let regexNames = [
        "web1", "web10", "Web9", "db-a", "db_b", "a{2}", "aa", "x]y", "[x", "a:b", "\u{E9}",
        "\u{663}", "a&b", "a.b", "tab\tx", "ab", "a\\b",
    ]

    static let regexCases: [(String, [String])] = [
        (#"web\d+\Z"#, ["web1", "web10"]), (#"web\d\Z"#, ["web1"]), ("(?i)web9", ["Web9"]),
        ("db[-_]", ["db-a", "db_b"]), ("a{2}", ["aa"]), (#"a\{2}"#, ["a{2}"]), ("a{", ["a{2}"]),
        ("x]", ["x]y"]), (#"\["#, ["[x"]),
        // A POSIX class in Swift, a plain set in Python.
        ("[[:a]+", ["a{2}", "aa", "[x", "a:b", "a&b", "a.b", "ab", "a\\b"]),
        (#"\d"#, ["\u{663}"]), (#"[\d]"#, ["\u{663}"]),
        ("a&&b", []), ("[a&&b]+\\Z", ["aa", "a&b", "ab"]),  // no set intersection in Python
        ("(?P<c>a)(?P=c)", ["aa"]), (#"(a)\1"#, ["aa"]), (#"\x61\u0062"#, ["ab"]),
        (#"\141"#, ["a{2}", "aa", "a:b", "a&b", "a.b", "ab", "a\\b"]),
        (#"a\.b"#, ["a.b"]), ("[^a-z]", ["Web9", "[x", "\u{E9}", "\u{663}"]),
        ("(?s:.)", regexNames), ("(?:web)", ["web1", "web10"]), (#"a\\b"#, ["a\\b"]),
        (#"\tab"#, []), (#"tab\tx"#, ["tab\tx"]), ("(?x) w e b", ["web1", "web10"]),
        ("a{,1}b", ["ab"]), ("(?>a+)b", ["ab"]), ("a++b", ["ab"]),
        ("[]a]", ["a{2}", "aa", "a:b", "a&b", "a.b", "ab", "a\\b"]),
        ("[^]x]", regexNames.filter { $0 != "x]y" }),
        (#"[\w]+\Z"#, ["web1", "web10", "Web9", "db_b", "aa", "\u{E9}", "\u{663}", "ab"]),
        (#"\W"#, ["[x"]), (#"[\W]"#, ["[x"]),
        (#"\w+\Z"#, ["web1", "web10", "Web9", "db_b", "aa", "\u{E9}", "\u{663}", "ab"]),
        ("\u{E9}", ["\u{E9}"]), ("(?i:WEB)1", ["web1", "web10"]),
    ]

    @Test(arguments: regexCases)
    func regex(pattern: String, expected: [String]) throws {
        let matches = NameMatcher.regex(pattern, try PythonRegex(pattern)).compiled()
        #expect(Self.regexNames.filter(matches) == expected)
    }

    /// Python refuses all of these (`re.error`), so a host pattern must too. `(?a)` is valid
    /// Python but has no Swift equivalent; conditionals are unsupported by Swift.
    @Test(arguments: [
        #"\p{L}"#, #"\z"#, "a(?i)", "(?<n>a)", #"\Q"#, #"[\Z]"#, #"\8"#, "(", "[a", "a{2,1}",
        "*a", "(?(1)a|b)", "(?a)web", "[z-a]", #"\x6"#, #"\u12"#,
    ])
    func rejected(pattern: String) {
        #expect(throws: PythonRegex.RegexSyntaxError.self) { try PythonRegex(pattern) }
    }

    /// Through a host pattern the same regexes fail with Ansible's message, except where
    /// `split_host_pattern` cuts them first: `~[a` becomes `~` and `a` in Ansible too.
    @Test func rejectedHostPatterns() throws {
        #expect(throws: InventoryError.self) { try HostPattern(#"~\p{L}"#) }
        // A comma always splits: `~a{2,1}` is `~a{2` and `1}`, both valid.
        #expect(try HostPattern("~a{2,1}").terms.map(\.text) == ["~a{2", "1}"])
        #expect(try HostPattern("~[a").terms.map(\.text) == ["~", "a"])
        // A colon splits too: this is `~(?` and `web)`, and `~(?` is not a valid regex.
        #expect(throws: InventoryError.self) { try HostPattern("~(?:web)") }
    }
}
