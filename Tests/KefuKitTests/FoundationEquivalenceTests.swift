import Foundation
import KefuTestSupport
import XCTest

@testable import KefuKit

/// The fast paths must answer exactly as the Foundation calls they replace: the byte search as
/// `contains` / `replacingOccurrences`, money as NumberFormatter, trimming as the scalar-view rebuild.
final class FoundationEquivalenceTests: XCTestCase {
    let texts = [
        "我35岁，月薪两万，想投10万，一年内可能要用", "保本吗？稳赚不赔的那种", "I want a GUARANTEED return, risk-free",
        "Ｉ ｗａｎｔ　ＧＵＡＲＡＮＴＥＥＤ，保本！", "can’t lose", "cafe\u{301} au lait", "café", "한국어 보본", "カード が", "👍🏽 ok",
        "\u{F900}豈", "line\r\nnext", "", "a", "ab ab abc", "退休了，no loss please", "ｓｋｉｐ", "mixed Case 投资 Invest",
        "e\u{301}", "\u{2000}space", "the shop owner", "shopping", "my-shop", "in college now", "Passport", "pass", "老板pass",
    ]
    let phrases = [
        "保本", "稳赚", "稳赚不赔", "guaranteed", "GUARANTEED", "risk-free", "can't lose", "can’t lose", "e", "é", "cafe", "café",
        "보", "カ", "ok", "豈", "\u{F900}", "\r", "\n", "", "ab", "abc", "b a", "投资", "invest", "Invest", "no loss", "ｓｋｉｐ", "skip",
        " ", "，", "shop", "pass", "college",
    ]

    func testIncludesAgreesWithFoundation() {
        for text in texts {
            for phrase in phrases {
                XCTAssertEqual(text.includes(phrase), text.contains(phrase), "\(text.debugDescription) ⊇ \(phrase.debugDescription)")
                XCTAssertEqual(text.lowercased().includes(phrase), text.lowercased().contains(phrase))
                XCTAssertEqual(Substring(text).includes(phrase), text.contains(phrase))
            }
            XCTAssertEqual(SearchText(text).containsAny(phrases), phrases.contains { text.contains($0) })
            XCTAssertEqual(SearchText(text).containsAny(PhraseList(phrases)), phrases.contains { text.contains($0) })
        }
    }

    func testReplacingAllAgreesWithFoundation() {
        for text in texts + ["’’a’", "\n\n", "a\nb\n"] {
            for (target, replacement) in [("’", "'"), ("\n", " "), ("ab", "X"), ("a", "aa"), ("", "x"), ("e", "E"), ("保本", "")] {
                let fast = text.replacingAll(target, with: replacement), foundation = text.replacingOccurrences(of: target, with: replacement)
                XCTAssertEqual(Array(fast.utf8), Array(foundation.utf8), "\(text.debugDescription): \(target.debugDescription)")
            }
        }
    }

    func testWholeWordsAgreeWithCharacterSearch() {
        for text in texts + ["shop.", "Shop", "a shop", "商店shop", "shop商店", "ｓｈｏｐ"] {
            for word in ["shop", "pass", "college", "in college", "skip", "老板", "a"] {
                // English words match as whole words; others (Chinese) anywhere.
                let expected = word.unicodeScalars.first!.isASCII ? ProfileExtractor.containsWordByCharacters(text, word) : text.contains(word)
                XCTAssertEqual(ProfileExtractor.containsWord(text, word), expected, "\(text) / \(word)")
            }
        }
    }

    /// Every customer-like line of the shipped knowledge against every phrase table the engine searches.
    func testShippedKnowledgeAgainstPhraseTables() {
        let knowledge = Fixtures.shipped.knowledge
        var lines = knowledge.entries.flatMap { $0.examples.map(\.text) } + knowledge.entries.flatMap { [$0.answer.zh, $0.answer.en] }
        lines += lines.map { String(String.UnicodeScalarView(NumberParser.fold($0))) } + lines.map { $0.lowercased() }
        lines = stride(from: 0, to: lines.count, by: 4).map { lines[$0] }  // a quarter keeps the debug build's run short
        let lists: [PhraseList] = [ProfileExtractor.lossContext, ProfileExtractor.lossPercentCues, ProfileExtractor.returnContext, ProfileExtractor.monthlyWords,
                                   ProfileExtractor.annualWords, ProfileExtractor.adviceInvest, ProfileExtractor.incomeBefore, ProfileExtractor.investContext,
                                   ProfileExtractor.loanVerbs, ProfileExtractor.investingPast, ProfileExtractor.horizonWords]
        let tables = [ComplianceChecker.forbiddenPhrases] + lists.map(\.phrases) + knowledge.escalation.rules.map(\.keywords)
        for line in lines {
            let search = SearchText(line)
            for list in lists {
                XCTAssertEqual(search.containsAny(list), list.phrases.contains { line.contains($0) }, line)
                XCTAssertEqual(search.containsAnyWord(list), list.phrases.contains { ProfileExtractor.containsWordByCharacters(line, $0) || ($0.unicodeScalars.first?.isASCII != true && line.contains($0)) }, line)
            }
        }
        for line in lines {
            for phrase in tables.joined() {
                XCTAssertEqual(line.includes(phrase), line.contains(phrase), "\(line) ⊇ \(phrase)")
                if phrase.unicodeScalars.first?.isASCII == true {
                    XCTAssertEqual(ProfileExtractor.containsWord(line, phrase), ProfileExtractor.containsWordByCharacters(line, phrase))
                }
            }
        }
    }

    func testGroupedMoneyAgreesWithNumberFormatter() {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        formatter.groupingSize = 3
        var values: [Double] = [0, 0.4, 0.5, 1.5, 2.5, 999, 999.5, 1000, 1234.5, 12_345, 123_456.49, 1_000_000, 9_999_999.5, 1e12, 999_999_999_999_999, 1e15]
        var seed: UInt64 = 7
        for _ in 0..<500 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            values.append(Double(seed >> 11) / Double(1 << 53) * pow(10, Double(seed % 16)))
        }
        for value in values {
            XCTAssertEqual(AdviceFlow.grouped(value), formatter.string(from: NSNumber(value: value)), "\(value)")
        }
    }

    func testTrimmingAgreesWithScalarRebuild() {
        func old(_ text: String) -> String {
            let scalars = text.unicodeScalars
            guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
            return String(String.UnicodeScalarView(scalars[start...end]))
        }
        for text in ["", " ", "\u{3000}全角\u{3000}", " a b ", " \u{301}abc ", "e\u{301} ", "\r\n x \r\n", "\t👍🏽\n", "x"] {
            XCTAssertEqual(text.trimmingWhitespace(), old(text), text.debugDescription)
            XCTAssertEqual(Substring(text).trimmingWhitespace(), old(text))
            XCTAssertEqual(text.trimmingWhitespace().unicodeScalars.map(\.value), old(text).unicodeScalars.map(\.value))
        }
    }

    /// Every scalar called plain is canonically only itself and a cluster of its own, and plain lowercasing
    /// is `lowercased()`: checked against the Unicode data for all of them.
    func testPlainScalarsAgainstUnicodeData() {
        for value in UInt32(0)...0xFFFF where TextSearch.isPlain(value) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            XCTAssertEqual(text.decomposedStringWithCanonicalMapping.unicodeScalars.map(\.value), [value], "U+\(String(value, radix: 16))")
            XCTAssertEqual(scalar.properties.canonicalCombiningClass, .notReordered)
            XCTAssertEqual(("a" + text + "a").count, 3, "U+\(String(value, radix: 16)) joins a cluster")
            let lower = Array(text.utf8).withUnsafeBufferPointer { TextSearch.lowercasedPlain($0, straightenApostrophes: false) }
            XCTAssertEqual(lower, Array(text.lowercased().utf8), "U+\(String(value, radix: 16))")
        }
        let sample = "Ａ Ⓑ ABC 保本 can’t “Q” ①"
        XCTAssertEqual(SearchText(lowercasing: sample, straightenApostrophes: true).string,
                       sample.lowercased().replacingOccurrences(of: "’", with: "'"))
        XCTAssertEqual(SearchText(lowercasing: "Café’s", straightenApostrophes: true).string, "café's")
    }

    /// The normaliser's shortcuts for ASCII and Han give the Unicode-property answers.
    func testNormalizerShortcutsAgreeWithUnicodeProperties() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let category = scalar.properties.generalCategory
            let invisible: Bool
            switch value {
            case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0xFEFF, 0x00AD: invisible = true
            default: invisible = category == .nonspacingMark || category == .enclosingMark || category == .format
            }
            XCTAssertEqual(TextNormalizer.isInvisible(scalar), invisible, "U+\(String(value, radix: 16))")
            if TextNormalizer.isHan(scalar) { XCTAssertFalse(scalar.properties.changesWhenLowercased) }
        }
    }

    func testPhysicalLinesAgreeWithCharacterSplit() {
        for text in ["", "\n", "\r\n", "\r", "a", "a\n", "a\r\nb\rc\n\nd", "\r\r\n\n", "x\n\u{301}y", "提现\r\n到账\r", "e\u{301}\r\n"] {
            let old = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            XCTAssertEqual(text.physicalLines().map { Array($0.utf8) }, old.map { Array($0.utf8) }, text.debugDescription)
        }
    }

    func testScalarStringsAndLineCounts() {
        for text in ["", "a", "提现 100 元", "e\u{301}👍🏽\r\n", "\u{FEFF}x"] {
            let scalars = Array(text.unicodeScalars)
            XCTAssertEqual(Array(String(scalars: scalars).utf8), Array(String(String.UnicodeScalarView(scalars)).utf8))
            XCTAssertEqual(Array(String(scalars: scalars.dropFirst()).utf8), Array(String(String.UnicodeScalarView(scalars.dropFirst())).utf8))
        }
        for reply in ["", "a", "a\nb", "a\r\nb\n", "\n\n", "\r\n", "x\n\u{301}"] {
            XCTAssertEqual(Transcript.lineCount(reply), reply.split(separator: "\n", omittingEmptySubsequences: false).count, reply.debugDescription)
        }
    }
}
