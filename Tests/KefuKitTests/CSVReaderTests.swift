import KefuKit
import XCTest

final class CSVReaderTests: XCTestCase {
    func testQuotesCommasNewlinesAndCRLF() {
        let text = "text,category\r\n\"Hello, world\",greet\r\n\"She said \"\"hi\"\"\",quote\r\n\"two\r\nlines\",multi\r\nplain,last"
        let result = CSVReader().read(text)
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(result.records.map(\.fields), [
            ["text", "category"], ["Hello, world", "greet"], ["She said \"hi\"", "quote"], ["two\nlines", "multi"], ["plain", "last"],
        ])
        XCTAssertEqual(result.records.map(\.line), [1, 2, 3, 4, 6])
    }

    func testEmptyFieldsTrailingNewlineAndBOM() {
        let result = CSVReader().read("\u{FEFF}a,b,c\n,,\nx,\"\",z\n\n")
        XCTAssertEqual(result.problems, [])
        XCTAssertEqual(result.records.map(\.fields), [["a", "b", "c"], ["", "", ""], ["x", "", "z"]])
    }

    func testBadRowsAreReportedWithTheirLinesAndReadingGoesOn() {
        let text = "text,category\nok one,a\nbad \"quote,b\n\"closed\"junk,c\nok two,d\n\"never closed,e\nmore\n"
        let result = CSVReader().read(text)
        XCTAssertEqual(result.records.map { $0.fields[0] }, ["text", "ok one", "ok two"])
        XCTAssertEqual(result.problems.map(\.line), [3, 4, 6])
        XCTAssertTrue(result.problems[0].message.contains("stray quote"))
        XCTAssertTrue(result.problems[1].message.contains("after a closing quote"))
        XCTAssertTrue(result.problems[2].message.contains("never closed"))
    }

    func testLabelledDataChecksHeaderFieldCountsAndEmptyValues() {
        let text = "category,text,source\nfee,\"how much, exactly?\",web\nfee,too,many,fields\n,no category,web\nfee,   ,web\nlimit,what is the cap,app\n"
        let result = LabelledData.parse(text)
        XCTAssertEqual(result.rows.map(\.text), ["how much, exactly?", "what is the cap"])
        XCTAssertEqual(result.rows.map(\.category), ["fee", "limit"])
        XCTAssertEqual(result.rows.map(\.line), [2, 6])
        XCTAssertEqual(result.problems.map(\.line), [3, 4, 5])

        let missing = LabelledData.parse("question,label2\nx,y\n")
        XCTAssertTrue(missing.rows.isEmpty)
        XCTAssertEqual(missing.problems.first?.line, 1)
    }

    func testPhrasingTableAndShotsAndHoldOut() {
        let table = LabelledData.parse("# comment\nwithdraw-fee\ten\tis there a fee\nwithdraw-fee\tzh\t提现收费吗\nbad line\n")
        XCTAssertEqual(table.rows.map(\.category), ["withdraw-fee", "withdraw-fee"])
        XCTAssertEqual(table.rows.map(\.text), ["is there a fee", "提现收费吗"])
        XCTAssertEqual(table.problems.map(\.line), [4])

        let rows = (1...6).map { LabelledText(text: "a\($0)", category: "a") } + (1...3).map { LabelledText(text: "b\($0)", category: "b") }
        XCTAssertEqual(LabelledData.firstShots(rows, perCategory: 2).map(\.text), ["a1", "a2", "b1", "b2"])
        let split = LabelledData.holdOut(rows, every: 3)
        XCTAssertEqual(split.heldOut.map(\.text), ["a3", "a6", "b3"])
        XCTAssertEqual(split.train.count, 6)
    }

    func testQuoteHelperRoundTrips() {
        for field in ["plain", "a,b", "say \"hi\"", "two\nlines", " padded "] {
            let line = CSVReader.quote(field) + ",x"
            XCTAssertEqual(CSVReader().read(line).records.first?.fields, [field, "x"], field)
        }
    }
}
