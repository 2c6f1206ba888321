import InventoryModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libFuzzer's entry for programs that keep their own `main` (SwiftPM's executables do).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The body under test; libFuzzer calls one input at a time on one thread.
nonisolated(unsafe) private var testOneInput: (UnsafeRawBufferPointer) -> Void = { _ in }

/// libFuzzer's callback for one input. The linker also keeps libFuzzer's own `main`, which names
/// this symbol, though the harness's `main` is the one that runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    testOneInput(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Runs libFuzzer with the process's arguments, one call of `body` per input, and exits with
/// libFuzzer's status (non-zero when it found a crash, a leak or a timeout).
public func runFuzzer(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    testOneInput = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) })
}

/// As ``runFuzzer(_:)`` for readers of text; invalid UTF-8 becomes U+FFFD, so that every input
/// reaches the reader.
public func runFuzzer(text body: @escaping (String) -> Void) -> Never {
    runFuzzer { bytes in body(String(decoding: bytes, as: UTF8.self)) }
}

/// Uses what a reader produced the way the service does next: stores it as script JSON and
/// reads that back, which must always succeed.
public func exercise(_ inventory: Inventory) {
    let text = inventory.scriptJSONText(form: .export)
    _ = inventory.scriptJSONText(form: .merged)
    do {
        _ = try ScriptJSONReader.read(text: text, source: "round trip")
    } catch {
        fatalError("the reader's own output does not read back: \(error)\n\(text)")
    }
}
