import KefuKit
import XCTest

final class NumberParserTests: XCTestCase {
    /// (text, first number's value, has magnitude unit, approximate, currency)
    static let table: [(String, Double, Bool, Bool, Bool)] = [
        ("35", 35, false, false, false),
        ("三十五", 35, false, false, false),
        ("十五", 15, false, false, false),
        ("二十", 20, false, false, false),
        ("一百二十", 120, true, false, false),
        ("两万", 20_000, true, false, false),
        ("十万", 100_000, true, false, false),
        ("一万五", 15_000, true, false, false),
        ("三千五", 3_500, true, false, false),
        ("两千五百", 2_500, true, false, false),
        ("一万零五", 10_005, true, false, false),
        ("五十万", 500_000, true, false, false),
        ("一百万", 1_000_000, true, false, false),
        ("一亿", 100_000_000, true, false, false),
        ("1.5万", 15_000, true, false, false),
        ("10万", 100_000, true, false, false),
        ("3万5", 35_000, true, false, false),
        ("5千", 5_000, true, false, false),
        ("8k", 8_000, true, false, false),
        ("8K", 8_000, true, false, false),
        ("2.5k", 2_500, true, false, false),
        ("20w", 200_000, true, false, false),
        // 个 counting the 万 ("二十五个W", asked the amount, was ¥25; "5个w" ¥5); 个 before anything else is no unit.
        ("5个w", 50_000, true, false, false),
        ("四个W", 40_000, true, false, false),
        ("二十五个W", 250_000, true, false, false),
        ("两个亿", 200_000_000, true, false, false),
        ("三个月", 3, false, false, false),
        ("三个万一", 3, false, false, false),
        ("两个万能险", 2, false, false, false),
        ("1.2 million", 1_200_000, true, false, false),
        ("15 thousand", 15_000, true, false, false),
        ("100,000", 100_000, false, false, false),
        ("1,234,567", 1_234_567, false, false, false),
        ("¥50000", 50_000, false, false, true),
        ("￥5,000", 5_000, false, false, true),
        ("5000元", 5_000, false, false, true),
        ("5000块", 5_000, false, false, true),
        ("RMB 8000", 8_000, false, false, true),
        ("$3,000", 3_000, false, false, true),
        ("3000 yuan", 3_000, false, false, true),
        // Cheque numerals, 廿 and 卅, and points that group thousands ("贰万伍仟元" and "廿万" were ¥1,000; "250.000 yuan" ¥250).
        ("贰万伍仟元", 25_000, true, false, true),
        ("壹佰万", 1_000_000, true, false, false),
        ("廿万", 200_000, true, false, false),
        ("卅", 30, false, false, false),
        ("250.000 yuan", 250_000, false, false, true),
        ("1.500.000", 1_500_000, false, false, false),
        ("1.500", 1.5, false, false, false),
        ("净值1.000", 1, false, false, false),
        ("叁仟伍佰元", 3_500, true, false, true),
        // Spaces that group thousands ("40 000 yuan", asked the amount, was 0 and asked eight times); a phone number's groups stay apart.
        ("40 000 yuan", 40_000, false, false, true),
        ("1 200 000", 1_200_000, false, false, false),
        ("138 1234 5678", 138, false, false, false),
        ("35 100k", 35, false, false, false),
        ("10 000.50", 10_000.5, false, false, false),
        ("我今年45 100万想理财", 45, false, false, false),
        ("大盘跌个50个点", 50, false, false, false),
        ("大概两万", 20_000, true, true, false),
        ("两万左右", 20_000, true, true, false),
        ("约5000", 5_000, false, true, false),
        ("about 20k", 20_000, true, true, false),
        ("around 8,000", 8_000, false, true, false),
        ("roughly 1.5万", 15_000, true, true, false),
        ("ＡＢ１２３", 123, false, false, false),
        ("１０万", 100_000, true, false, false),
        ("0.5", 0.5, false, false, false),
        ("半年", 0.5, false, false, false),
        ("九十", 90, false, false, false),
        ("七十八", 78, false, false, false),
        ("两百五", 250, true, false, false),
        ("4000到6000", 4_000, false, false, false),
        ("月薪1.2w", 12_000, true, false, false),
        ("年薪三十万", 300_000, true, false, false),
        ("10%", 10, false, false, false),
        ("百分之二十", 20, false, false, false),
        // Signs, ranges (the lower end; see testRangesSignsAndCurrencies) and income frequencies.
        ("负三千", -3_000, true, false, false),
        ("-5000", -5_000, false, false, false),
        ("1-2万", 10_000, true, false, false),
        ("8000-10000", 8_000, false, false, false),
        ("一到两万", 10_000, true, false, false),
        ("两三万", 20_000, true, false, false),
        ("七八千", 7_000, true, false, false),
        ("十几年", 10, false, true, false),
        ("$5,000", 5_000, false, false, true),
        ("earn about $5000 a month", 5_000, false, true, true),
        ("about 8k per month", 8_000, true, true, false),
        ("earn around 5,000 a month", 5_000, false, true, false),
        ("earn 5000 yuan a month", 5_000, false, false, true),
        ("RMB 15000一个月", 15_000, false, false, true),
        ("4500 monthly", 4_500, false, false, false),
        ("I earn about 12k a month", 12_000, true, true, false),
    ]

    /// The first number in `text`; a test failure (at the caller's line) when there is none.
    func firstMention(_ parser: NumberParser, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> NumberMention? {
        guard let first = parser.mentions(in: text).first else {
            XCTFail("no number in '\(text)'", file: file, line: line)
            return nil
        }
        return first
    }

    func testNumberPhrasingTable() {
        let parser = NumberParser()
        XCTAssertGreaterThanOrEqual(Self.table.count, 50)
        for (text, value, magnitude, approximate, currency) in Self.table {
            guard let first = firstMention(parser, text) else { continue }
            XCTAssertEqual(first.value, value, accuracy: 0.0001, "value of '\(text)'")
            XCTAssertEqual(first.hasMagnitude, magnitude, "magnitude of '\(text)'")
            XCTAssertEqual(first.isApproximate, approximate, "approximate '\(text)'")
            XCTAssertEqual(first.hasCurrency, currency, "currency '\(text)'")
        }
    }

    func testPercentAndSeveralNumbers() {
        let parser = NumberParser()
        XCTAssertTrue(parser.mentions(in: "亏10%以内")[0].isPercent)
        XCTAssertTrue(parser.mentions(in: "百分之二十")[0].isPercent)
        XCTAssertEqual(parser.mentions(in: "我35岁，月薪两万，想投10万").map(\.value), [35, 20_000, 100_000])
        // A range is one mention from its lower end to its upper end.
        XCTAssertEqual(parser.mentions(in: "4000到6000").map(\.value), [4_000])
        XCTAssertEqual(parser.mentions(in: "4000到6000").map(\.upper), [6_000])
        // Every number of a multi-fact message, not just the first.
        XCTAssertEqual(parser.mentions(in: "我35岁，月入1-2万，想投10万，三到五年不用").map(\.value), [35, 10_000, 100_000, 3])
        XCTAssertEqual(parser.mentions(in: "我35岁，月入1-2万，想投10万，三到五年不用").map(\.upper), [nil, 20_000, nil, 5])
        XCTAssertEqual(parser.mentions(in: "RMB 15000一个月，想投5万").map(\.value), [15_000, 1, 50_000])
        XCTAssertEqual(parser.mentions(in: "I'm 40, I earn around 5,000 a month and want to invest 20k").map(\.value), [40, 5_000, 20_000])
    }

    /// (text, lower end, upper end or nil, foreign currency)
    static let ranges: [(String, Double, Double?, Bool)] = [
        ("1-2万", 10_000, 20_000, false),
        ("1.5-2万", 15_000, 20_000, false),
        ("8000-10000", 8_000, 10_000, false),
        ("8000-1万", 8_000, 10_000, false),
        ("5k-8k", 5_000, 8_000, false),
        ("5-8k", 5_000, 8_000, false),
        ("5000 to 8000", 5_000, 8_000, false),
        ("between 8000 and 12000", 8_000, 12_000, false),
        ("一到两万", 10_000, 20_000, false),
        ("两三万", 20_000, 30_000, false),
        ("一两万", 10_000, 20_000, false),
        ("三四千", 3_000, 4_000, false),
        ("五六十岁", 50, 60, false),
        ("十二三", 12, 13, false),
        ("十几万", 100_000, 190_000, false),
        ("二十几", 20, 29, false),
        ("3到5年", 3, 5, false),
        ("10-5", 10, nil, false),
        ("负三千", -3_000, nil, false),
        ("月入负三千", -3_000, nil, false),
        ("$5,000", 5_000, nil, true),
        ("5000 dollars", 5_000, nil, true),
        ("USD 3000", 3_000, nil, true),
        ("1000美元", 1_000, nil, true),
        ("¥5000", 5_000, nil, false),
        ("5000元", 5_000, nil, false),
    ]

    /// Losses in tenths (成), as the market says them: a range of tenths is a range of percents.
    func testTenthsArePercents() {
        let parser = NumberParser()
        for (text, lower, upper) in [("亏一成", 10.0, nil), ("亏两成", 20, nil), ("亏一两成可以", 10, 20), ("三四成我心里有数", 30, 40),
                                     ("两三成", 20, 30), ("一到两成", 10, 20)] as [(String, Double, Double?)] {
            let first = parser.mentions(in: text).first
            XCTAssertEqual(first?.value, lower, text)
            XCTAssertEqual(first?.upper, upper, text)
            XCTAssertEqual(first?.isPercent, true, text)
        }
    }

    func testRangesSignsAndCurrencies() {
        let parser = NumberParser()
        for (text, lower, upper, foreign) in Self.ranges {
            guard let first = firstMention(parser, text) else { continue }
            XCTAssertEqual(first.value, lower, accuracy: 0.0001, "lower end of '\(text)'")
            XCTAssertEqual(first.upper, upper, "upper end of '\(text)'")
            XCTAssertEqual(first.isForeignCurrency, foreign, "foreign currency '\(text)'")
        }
        // A dash between digits is no minus sign; the fact checker reads each figure on its own.
        XCTAssertEqual(NumberParser(readsRanges: false).mentions(in: "1-2万").map(\.value), [1, 20_000])
        XCTAssertEqual(NumberParser().mentions(in: "10-5").map(\.value), [10, 5])
        XCTAssertNil(NumberParser().mentions(in: "1-99999999999999999999万").first?.upper, "an implausible upper end is no range")
    }

    func testWordsThatAreNotNumbers() {
        let parser = NumberParser()
        XCTAssertTrue(parser.mentions(in: "有一些问题").isEmpty)
        XCTAssertTrue(parser.mentions(in: "两个人").map(\.value) == [2] || parser.mentions(in: "两个人").isEmpty)
        XCTAssertTrue(parser.mentions(in: "know the risks").isEmpty)
    }
}
