import InventoryModel
import Testing

/// INI inventories ansible-core 2.19 refuses, with its messages (ours may add detail after
/// them) and the line we report.
@Suite struct INIInventoryReaderErrorTests {
    @Test func errorUnknownSectionType() {
        expectINIError(
            #"""
            h1
            [web:foo]
            """#, #"Section [web:foo] has unknown type: foo"#, line: 2)
    }

    @Test func errorInvalidSection() {
        expectINIError(
            #"""
            [web servers]
            """#,
            #"Invalid section entry: '[web servers]'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters"#,
            line: 1)
    }

    @Test func errorSectionWithSemicolonComment() {
        expectINIError(
            #"""
            [web] ;c
            """#, #"host range must be begin:end or begin:end:step"#, line: 1)
    }

    @Test func errorVarsForUndefinedGroup() {
        expectINIError(
            #"""
            h1
            [web:vars]
            x=1
            """#, #"Section [web:vars] not valid for undefined group 'web'."#, line: 2)
    }

    @Test func errorVarsForGroupOnlyNamedAsChild() {
        expectINIError(
            #"""
            [web:vars]
            x=1
            [p:children]
            web
            """#, #"Section [web:vars] not valid for undefined group 'web'."#, line: 1)
    }

    @Test func errorUndefinedChild() {
        expectINIError(
            #"""
            [p:children]
            missing
            [q:children]
            missing
            """#, #"Section [q:children] includes undefined group 'missing'."#, line: 2)
    }

    @Test func errorFirstPendingReported() {
        expectINIError(
            #"""
            [a:vars]
            x=1
            [p:children]
            b
            """#, #"Section [a:vars] not valid for undefined group 'a'."#, line: 1)
    }

    @Test func errorHostVarWithoutEquals() {
        expectINIError(
            #"""
            h1 novalue
            """#, #"Expected key=value host variable assignment, got: novalue"#, line: 1)
    }

    @Test func errorUnclosedQuote() {
        expectINIError(
            #"""
            h1 a='x
            """#, #"Error parsing host definition 'h1 a='x': No closing quotation"#, line: 1)
    }

    @Test func errorTrailingBackslash() {
        expectINIError(
            #"""
            h1 a=x\
            """#, #"Error parsing host definition 'h1 a=x\': No escaped character"#, line: 1)
    }

    @Test func errorVarsWithoutEquals() {
        expectINIError(
            #"""
            [web]
            h
            [web:vars]
            just text
            """#, #"Expected key=value, got: just text"#, line: 4)
    }

    @Test func errorBadChildName() {
        expectINIError(
            #"""
            [p:children]
            a b
            """#, #"Expected group name, got: a b"#, line: 2)
    }

    @Test func errorYAMLMarker() {
        expectINIError(
            #"""
            ---
            all:
            """#, #"Invalid host pattern '---' supplied, '---' is normally a sign this is a YAML file."#, line: 1)
    }

    @Test func errorEndsInColon() {
        expectINIError(
            #"""
            h1:
            """#,
            #"Invalid host pattern 'h1:' supplied, ending in ':' is not allowed, this character is reserved to provide a port."#,
            line: 1)
    }

    @Test func errorUnequalRange() {
        expectINIError(
            #"""
            web[01:5]
            """#, #"host range must specify equal-length begin and end formats"#, line: 1)
    }

    @Test func errorRangeWithoutEnd() {
        expectINIError(
            #"""
            web[1:]
            """#, #"host range must specify end value"#, line: 1)
    }

    @Test func errorChildIsItself() {
        expectINIError(
            #"""
            [a]
            h
            [a:children]
            a
            """#, #"can't add group to itself"#, line: 4)
    }

    @Test func errorUnhashable() {
        expectINIError(
            #"""
            h1 a="{[1]: 2}"
            """#, #"unhashable type: 'list'"#, line: 1)
    }

    @Test func errorEmptyHostName() {
        expectINIError(
            #"""
            ''
            """#, #"Invalid empty host name provided:"#, line: 1)
    }

    @Test func errorBracketedAddressLooksLikeSection() {
        expectINIError(
            #"""
            [::1]
            """#,
            #"Invalid section entry: '[::1]'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters"#,
            line: 1)
    }
}
