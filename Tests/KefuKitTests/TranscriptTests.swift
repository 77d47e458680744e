import KefuKit
import XCTest

final class TranscriptTests: XCTestCase {
    let sample = """
        # a comment
        # time: 2026-11-27 22:30
        you> 提现多久到账
        kefu> line one
              line two

        you> thanks
        kefu> welcome
        you> no reply expected yet
        """

    func testParsesTurnsWithLineNumbersAndMultiLineReplies() {
        let transcript = Transcript.parse(sample)
        let turns = transcript.turns
        XCTAssertEqual(turns.map(\.input), ["提现多久到账", "thanks", "no reply expected yet"])
        XCTAssertEqual(turns[0].expected, "line one\nline two")
        XCTAssertEqual(turns[0].inputLine, 3)
        XCTAssertEqual(turns[0].expectedLine, 4)
        XCTAssertEqual(turns[1].expectedLine, 8)
        XCTAssertNil(turns[2].expected)
        XCTAssertEqual(transcript.moment, Moment(date: "2026-11-27", minuteOfDay: 22 * 60 + 30))
    }

    func testFormattingRoundTripsAndUpdateKeepsComments() {
        let transcript = Transcript.parse(sample)
        XCTAssertEqual(Transcript.parse(transcript.text), transcript)
        let updated = transcript.updating(replies: ["new\nreply", nil, "now there is one"])
        XCTAssertEqual(updated.text, """
            # a comment
            # time: 2026-11-27 22:30
            you> 提现多久到账
            kefu> new
                  reply

            you> thanks
            you> no reply expected yet
            kefu> now there is one

            """)
    }

    func testCRLFTranscripts() {
        let transcript = Transcript.parse("you> hi\r\nkefu> hello\r\n")
        XCTAssertEqual(transcript.turns.first?.expected, "hello")
    }

    func testMomentParsing() {
        XCTAssertEqual(Moment(parsing: "2026-11-27 09:05")?.minuteOfDay, 545)
        XCTAssertEqual(Moment(parsing: "2026-11-27T21:00")?.iso, "2026-11-27T21:00")
        XCTAssertNil(Moment(parsing: "yesterday"))
        XCTAssertNil(Moment(parsing: "2026-13-01 10:00"))
    }
}
