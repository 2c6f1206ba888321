import InventoryModel
import Testing

/// `Shlex.split` against Python 3.11's `shlex.split(s, comments=...)`: every row is what
/// Python returned (or raised) for the same input.
@Suite struct ShlexTests {
    static let splits: [(String, Bool, [String])] = [
        ("a b  c", true, ["a", "b", "c"]),
        ("a b  c", false, ["a", "b", "c"]),
        ("h1 a='x y' b=\"1 2\"", true, ["h1", "a=x y", "b=1 2"]),
        ("h1 a='x y' b=\"1 2\"", false, ["h1", "a=x y", "b=1 2"]),
        ("a\"b c\"d", true, ["ab cd"]),
        ("a\"b c\"d", false, ["ab cd"]),
        ("''", true, [""]),
        ("''", false, [""]),
        ("\"\" x", true, ["", "x"]),
        ("\"\" x", false, ["", "x"]),
        ("a\\ b", true, ["a b"]),
        ("a\\ b", false, ["a b"]),
        ("\"a\\\"b\"", true, ["a\"b"]),
        ("\"a\\\"b\"", false, ["a\"b"]),
        ("\"a\\b\"", true, ["a\\b"]),
        ("\"a\\b\"", false, ["a\\b"]),
        ("'a\\b'", true, ["a\\b"]),
        ("'a\\b'", false, ["a\\b"]),
        ("x # comment", true, ["x"]),
        ("x # comment", false, ["x", "#", "comment"]),
        ("x#y z", true, ["x"]),
        ("x#y z", false, ["x#y", "z"]),
        ("'#' \"#\" \\#", true, ["#", "#", "#"]),
        ("'#' \"#\" \\#", false, ["#", "#", "#"]),
        ("\ta\r\nb", true, ["a", "b"]),
        ("\ta\r\nb", false, ["a", "b"]),
        ("a=1 # c d=2", true, ["a=1"]),
        ("a=1 # c d=2", false, ["a=1", "#", "c", "d=2"]),
        ("é ü", true, ["é", "ü"]),
        ("é ü", false, ["é", "ü"]),
        ("\"a\\\\b\"", true, ["a\\b"]),
        ("\"a\\\\b\"", false, ["a\\b"]),
        ("x '' y", true, ["x", "", "y"]),
        ("x '' y", false, ["x", "", "y"]),
        ("a\\'b", true, ["a'b"]),
        ("a\\'b", false, ["a'b"]),
        ("#only", true, []),
        ("#only", false, ["#only"]),
        ("a #c\nb", true, ["a", "b"]),
        ("a #c\nb", false, ["a", "#c", "b"]),
    ]

    static let failures: [(String, String)] = [
        ("'open", "No closing quotation"),
        ("\"open", "No closing quotation"),
        ("x\\", "No escaped character"),
        ("\"a\\", "No escaped character"),
    ]

    @Test(arguments: splits)
    func splitsAsPython(_ input: String, _ comments: Bool, _ python: [String]) throws {
        #expect(try Shlex.split(input, comments: comments) == python)
    }

    @Test(arguments: failures)
    func failsAsPython(_ input: String, _ message: String) {
        #expect(throws: ShlexError(message: message)) { try Shlex.split(input, comments: true) }
    }
}
