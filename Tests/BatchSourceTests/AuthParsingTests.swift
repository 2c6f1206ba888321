import Foundation
import Testing

@testable import BatchSource

/// The byte-level parts of authentication: the header, the token's shape and its stored hash.
@Suite("Bearer header and token parsing")
struct AuthParsingTests {
    @Test("Bearer in any case, blanks around the token; anything else is refused")
    func bearerHeader() {
        #expect(AuthMiddleware.bearer("Bearer bs_x") == "bs_x")
        #expect(AuthMiddleware.bearer("bearer   bs_x  ") == "bs_x")
        #expect(AuthMiddleware.bearer("BEARER\tbs_x") == "bs_x")
        #expect(AuthMiddleware.bearer("Bearer") == nil)
        #expect(AuthMiddleware.bearer("Bearer   ") == nil)
        #expect(AuthMiddleware.bearer("Bearerbs_x") == nil)
        #expect(AuthMiddleware.bearer("Basic YWRtaW46YWRtaW4=") == nil)
        #expect(AuthMiddleware.bearer("Beärer bs_x") == nil)
    }

    @Test("tokens parse by shape; the stored hash is SHA-256 in lower-case hex, as before")
    func tokenShape() throws {
        let token = APIToken.generate()
        #expect(APIToken(parsing: token.text) == token)
        #expect(APIToken(parsing: "bs_0123456789abcdef_" + String(repeating: "s", count: 16))?.id == "0123456789abcdef")
        #expect(APIToken(parsing: "bs_0123456789abcdeg_" + String(repeating: "s", count: 16)) == nil, "id not hex")
        #expect(APIToken(parsing: "bs_0123456789abcdef_short") == nil)
        #expect(APIToken(parsing: "bs_0123456789abcdef_" + String(repeating: "s", count: 129)) == nil)
        #expect(APIToken(parsing: "bs_0123456789abcdef_" + String(repeating: "s", count: 15) + " ") == nil)
        #expect(APIToken(parsing: "xx_0123456789abcdef_" + String(repeating: "s", count: 16)) == nil)
        // Tokens stored by earlier versions must still verify: the hash's spelling is fixed.
        #expect(APIToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
