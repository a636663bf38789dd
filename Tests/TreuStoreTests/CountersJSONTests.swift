import Foundation
import Testing
@testable import TreuStore

/// The counters' JSON: what JSONSerialization wrote before reads back the same, and what is
/// written now is JSON that JSONSerialization reads alike.
@Suite("Counters as JSON")
struct CountersJSONTests {
    @Test func writesSortedCompactJSONThatAnyReaderReads() throws {
        let counters = ["tier": 2, "q:spend:2026": 155_000, "q:points:2025-03": -40, "punch \"Café\" \\ card": 7, "tab\tkey": 1]
        let text = CountersJSON.encode(counters)
        #expect(text.hasPrefix(#"{"punch \"Café\" \\ card":7,"q:points:2025-03":-40,"q:spend:2026":155000,"#))
        let read = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Int])
        #expect(read == counters)
        #expect(CountersJSON.decode(text) == counters)
        #expect(CountersJSON.encode([:]) == "{}" && CountersJSON.decode("{}") == [:])
    }

    @Test func readsWhatWasWrittenBeforeAndFallsBackForOtherShapes() {
        #expect(CountersJSON.fastDecode(#"{"a":1,"b":-23}"#) == ["a": 1, "b": -23])
        #expect(CountersJSON.fastDecode(#" { "a" : 1 , "b":2 } "#) == ["a": 1, "b": 2])
        // Escapes, fractions and huge numbers are not the fast reader's: JSONSerialization reads them.
        #expect(CountersJSON.fastDecode(#"{"a\"b":1}"#) == nil && CountersJSON.decode(#"{"a\"b":1}"#) == ["a\"b": 1])
        #expect(CountersJSON.fastDecode(#"{"a":1.5}"#) == nil)
        #expect(CountersJSON.fastDecode(#"{"a":12345678901234567890}"#) == nil)
        #expect(CountersJSON.fastDecode(#"{"a":1"#) == nil && CountersJSON.fastDecode(#"{"a":1}x"#) == nil)
        #expect(CountersJSON.decode("not json") == [:])
    }
}
