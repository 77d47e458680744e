// libFuzzer target over the knowledge-file parsers: the first byte picks the file kind (FAQ,
// synonyms, products, suitability…), the rest is the file's bytes. Built by Fuzz/run.sh together with
// the KefuKit sources; the body is FuzzHarness.knowledge, which the regression tests also run.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKnowledgeParser(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    FuzzHarness.knowledge(Data(bytes: start, count: count))
    return 0
}
