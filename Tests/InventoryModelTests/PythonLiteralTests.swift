import InventoryModel
import Testing

/// `ast.literal_eval` as ansible-core's INI reader applies it (`_parse_value`).
///
/// The `ansibleExport` column is what ansible-core 2.19 made of each value, printed with the
/// JSON encoder `ansible-inventory --list --export` uses (a value Python cannot evaluate stays
/// the text). Divergences are tested separately below, each saying why.
@Suite struct PythonLiteralTests {
    static let cases: [(String, String)] = [
        (##"set()"##, ##"[]"##),
        (##"-1j"##, ##""(-0-1j)""##),
        (##"1e16j"##, ##""1e+16j""##),
        (##"0-0j"##, ##""0j""##),
        (##"-0.0-0j"##, ##""(-0+0j)""##),
        (##"1.5e300*2"##, ##""1.5e300*2""##),
        (##"'\N{LATIN SMALL LETTER A}'"##, ##""a""##),
        (##"'\N{latin small letter a}'"##, ##""a""##),
        (##"'\777'"##, ##""ǿ""##),
        (##"-(1)"##, ##"-1"##),
        (##"1,"##, ##"[1]"##),
        (##"1, 2 # c"##, ##"[1, 2]"##),
        (##"f'x'"##, ##""f'x'""##),
        (##"u'x' 'y'"##, ##""xy""##),
        (##""a\d""##, ##""a\\d""##),
        (##"-0.0"##, ##"-0.0"##),
        (##"1_000"##, ##"1000"##),
        (##"0x_ff"##, ##"255"##),
        (##"0_7"##, ##""0_7""##),
        (##"00"##, ##"0"##),
        (##"017"##, ##""017""##),
        (##"017.5"##, ##"17.5"##),
        (##"017j"##, ##""17j""##),
        (##"1."##, ##"1.0"##),
        (##".5"##, ##"0.5"##),
        (##"1e5"##, ##"100000.0"##),
        (##"1E-5"##, ##"1e-05"##),
        (##".5j"##, ##""0.5j""##),
        (##"True"##, ##"true"##),
        (##"true"##, ##""true""##),
        (##"None"##, ##"null"##),
        (##"..."##, ##""...""##),
        (##"[...]"##, ##"["..."]"##),
        (##"(1,)"##, ##"[1]"##),
        (##"()"##, ##"[]"##),
        (##"{'a': 1, 'a': 2}"##, ##"{"a": 2}"##),
        (##"0xffffffffffffffffff"##, ##"4722366482869645213695"##),
        (##"9223372036854775807"##, ##"9223372036854775807"##),
        (##"9223372036854775808"##, ##"9223372036854775808"##),
        (##"-9223372036854775808"##, ##"-9223372036854775808"##),
        (##"1e999"##, ##"Infinity"##),
        (##"-1e999"##, ##"-Infinity"##),
        (##"1+2j+3j"##, ##""1+2j+3j""##),
        (##"'\x'"##, ##""'\\x'""##),
        (##"'\x4'"##, ##""'\\x4'""##),
        (##"r'\'"##, ##""r'\\'""##),
        (##"'\U00110000'"##, ##""'\\U00110000'""##),
        (##"'\U0001F600'"##, ##""😀""##),
        (##""\'\"\\\a\b\f\n\r\t\v\0\101\x41\u0041""##, ##""'\"\\\u0007\b\f\n\r\t\u000b\u0000AAA""##),
        (##"{'a': 1,}"##, ##"{"a": 1}"##),
        (##"[1, 2,]"##, ##"[1, 2]"##),
        (##"[,]"##, ##""[,]""##),
        (##"(1)"##, ##"1"##),
        (##"((1, 2))"##, ##"[1, 2]"##),
        (##"[1][0]"##, ##""[1][0]""##),
        (##"'a'.upper()"##, ##""'a'.upper()""##),
        (##"{**{}}"##, ##""{**{}}""##),
        (##"1 2"##, ##""1 2""##),
        (##"-'a'"##, ##""-'a'""##),
        (##"-True"##, ##""-True""##),
        (##"--1"##, ##""--1""##),
        (##"+1.5"##, ##"1.5"##),
        (##"1+-2j"##, ##""1+-2j""##),
        (##"1 + 2j"##, ##""(1+2j)""##),
        (##"-1-2j"##, ##""(-1-2j)""##),
        (##"1j+1"##, ##""1j+1""##),
        (##"(1+2j)"##, ##""(1+2j)""##),
        (##"-(1+2j)"##, ##""-(1+2j)""##),
        (##"1_"##, ##""1_""##),
        (##"1__0"##, ##""1__0""##),
        (##"0x"##, ##""0x""##),
        (##"0b102"##, ##""0b102""##),
        (##"0o17"##, ##"15"##),
        (##"0O17"##, ##"15"##),
        (##"0B1"##, ##"1"##),
        (##"0XfF"##, ##"255"##),
        (##"1e"##, ##""1e""##),
        (##"1e+"##, ##""1e+""##),
        (##"1.e5"##, ##"100000.0"##),
        (##"1._5"##, ##""1._5""##),
        (##"1_0.5_0"##, ##"10.5"##),
        (##"1e1_0"##, ##"10000000000.0"##),
        (##"09.5"##, ##"9.5"##),
        (##"09e1"##, ##"90.0"##),
        (##"09"##, ##""09""##),
        (##"0_0"##, ##"0"##),
        (##"1if 1 else 2"##, ##""1if 1 else 2""##),
        (##"Truex"##, ##""Truex""##),
        (##"True #c"##, ##"true"##),
        (##" 1"##, ##"1"##),
        (##"1 "##, ##"1"##),
        ("\t1", ##"1"##),
        (##"'a'#c"##, ##""a""##),
        (##"'''"##, ##""'''""##),
        (##"'a"##, ##""'a""##),
        (##"set( )"##, ##"[]"##),
        (##"set(1)"##, ##""set(1)""##),
        (##"{}"##, ##"{}"##),
        (##"{1: 2, 3}"##, ##""{1: 2, 3}""##),
        (##"{1: [1, {2: (3,)}]}"##, ##"{"1": [1, {"2": [3]}]}"##),
        (##"frozenset()"##, ##""frozenset()""##),
        (##"Ellipsis"##, ##""Ellipsis""##),
        (##"abc def"##, ##""abc def""##),
        (##"ur'a'"##, ##""ur'a'""##),
        (##"bu'a'"##, ##""bu'a'""##),
        (##"f'{1}'"##, ##""f'{1}'""##),
        (##"1.5j"##, ##""1.5j""##),
        (##"1E5J"##, ##""100000j""##),
        (##"0.1"##, ##"0.1"##),
        (##"1e-7"##, ##"1e-07"##),
        (##"123456789.123456789"##, ##"123456789.12345679"##),
        (##"1e22"##, ##"1e+22"##),
        (##"1e16"##, ##"1e+16"##),
        (##"9007199254740993"##, ##"9007199254740993"##),
        (##"0.000001"##, ##"1e-06"##),
    ]

    @Test(arguments: cases)
    func valueAsAnsibleExportsIt(_ input: String, _ ansibleExport: String) throws {
        let value = try PythonLiteral.inventoryValue(input)
        #expect(sortedINIKeys(value) == sortedINIKeys(try JSONParser.parse(ansibleExport)))
    }

    /// Bytes are decoded but untrusted: Ansible prints them as `{"__ansible_unsafe": ...}`
    /// (checked with ansible-inventory on `a=b'xyz'` and `b=[b'x']` in `[all:vars]`).
    @Test func bytesPrintAsUnsafeText() throws {
        #expect(try PythonLiteral.inventoryValue("b'xyz'") == ["__ansible_unsafe": "xyz"])
        #expect(try PythonLiteral.inventoryValue("[b'x']") == [["__ansible_unsafe": "x"]])
        #expect(try PythonLiteral.inventoryValue(#"rb'\d'"#) == ["__ansible_unsafe": #"\d"#])
        // `b'é'` is a SyntaxError (bytes hold ASCII only); `'a' b'b'` mixes kinds: both stay text.
        #expect(try PythonLiteral.inventoryValue("b'é'") == "b'é'")
        #expect(try PythonLiteral.inventoryValue("'a' b'b'") == "'a' b'b'")
    }

    /// Python raises TypeError, which Ansible does not catch: the inventory fails.
    @Test func unhashableKeysFail() {
        #expect(throws: InventoryError("unhashable type: 'list'")) { try PythonLiteral.inventoryValue("{[1]: 2}") }
        #expect(throws: InventoryError("unhashable type: 'list'")) { try PythonLiteral.inventoryValue("{[1]}") }
        #expect(throws: InventoryError("unhashable type: 'list'")) { try PythonLiteral.inventoryValue("{(1, [2])}") }
    }

    /// Ansible reads these but `ansible-inventory` crashes printing them ("Key of type
    /// '_AnsibleTaggedTuple' is not JSON serializable"); we refuse them when reading.
    @Test func keysJSONCannotHoldFail() {
        #expect(throws: InventoryError.self) { try PythonLiteral.inventoryValue("{(1, 2): 3}") }
        #expect(throws: InventoryError.self) { try PythonLiteral.inventoryValue("{b'k': 1}") }
    }

    /// Divergence: CPython orders a set by hash (random for strings between runs), so
    /// Ansible's `{3, 1, 2}` prints `[1, 2, 3]`; we keep source order, without duplicates.
    @Test func setsKeepSourceOrder() throws {
        #expect(try PythonLiteral.inventoryValue("{3, 1, 2, 1, True}") == [3, 1, 2])
    }

    /// Divergence: Python keeps lone surrogates (`'\ud800'`, non-UTF-8 bytes), which Ansible
    /// prints as "?"; no Swift string can hold them, so U+FFFD stands in.
    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try PythonLiteral.inventoryValue(#"'\ud800'"#) == "\u{FFFD}")
        #expect(try PythonLiteral.inventoryValue(#"b'\xff'"#) == ["__ansible_unsafe": "\u{FFFD}"])
    }

    /// Divergence: ints beyond 64 bits become the nearest double, as the JSON reader does.
    @Test func hugeIntsBecomeDoubles() throws {
        #expect(try PythonLiteral.evaluate("0x1_0000_0000_0000_0000") == .bigInt(18_446_744_073_709_551_616))
        #expect(try PythonLiteral.evaluate("-9223372036854775808") == .int(.min))
    }

    /// CPython's tokenizer refuses a 201st nested bracket ("too many nested parentheses"), so
    /// the value stays text; deeper nesting must not exhaust the stack either.
    @Test func bracketsNestedPastPythonsLimitAreNoLiteral() throws {
        func nested(_ open: String, _ close: String, _ n: Int) -> String {
            String(repeating: open, count: n) + String(repeating: close, count: n)
        }
        #expect(try PythonLiteral.evaluate(nested("[", "]", 200)) != nil)
        #expect(try PythonLiteral.evaluate(nested("[", "]", 201)) == nil)
        // `set(` counts as a bracket too.
        #expect(try PythonLiteral.evaluate(nested("(", "", 199) + "set()" + nested(")", "", 199)) == .set([]))
        #expect(try PythonLiteral.evaluate(nested("(", "", 200) + "set()" + nested(")", "", 200)) == nil)
        for open in ["(", "[", "{", "[(", "{1: ["] {
            #expect(try PythonLiteral.evaluate(String(repeating: open, count: 200_000)) == nil)
        }
        #expect(
            try PythonLiteral.inventoryValue(String(repeating: "[", count: 200_000))
                == .string(String(repeating: "[", count: 200_000)))
    }

    /// literal_eval takes one sign on a number and one `±` between a number and a complex;
    /// longer chains are no literal however long they are.
    @Test func longOperatorChainsAreNoLiteral() throws {
        #expect(try PythonLiteral.evaluate("--1") == nil)
        #expect(try PythonLiteral.evaluate("1+2j+3j") == nil)
        #expect(try PythonLiteral.evaluate("-1+2j") == .complex(real: -1, imag: 2))
        #expect(try PythonLiteral.evaluate(String(repeating: "-", count: 200_000) + "1") == nil)
        #expect(try PythonLiteral.evaluate(Array(repeating: "1", count: 200_000).joined(separator: "+")) == nil)
    }

    @Test func evaluateGivesPythonTypes() throws {
        #expect(try PythonLiteral.evaluate("(1, 'a')") == .tuple([.int(1), .string("a")]))
        #expect(try PythonLiteral.evaluate("1+2j") == .complex(real: 1, imag: 2))
        #expect(try PythonLiteral.evaluate("...") == .ellipsis)
        #expect(
            try PythonLiteral.evaluate("{1: 'a', 1.0: 'b', True: 'c'}")
                == .dict([.init(key: .int(1), value: .string("c"))]))
        #expect(try PythonLiteral.evaluate("name") == nil)
        #expect(try PythonLiteral.evaluate("") == nil)
        #expect(try PythonLiteral.evaluate("'a\u{0}'") == nil)
    }
}
