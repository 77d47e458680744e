@testable import KefuKit
import XCTest

/// What a turn derives from the customer's line: here, the sentences that ask, by which a line of several sentences that
/// nothing placed whole is placed ("…beyond my budget. Does your platform provide personal loans? What is the interest
/// rate?" was "not understood").
final class TurnInputTests: XCTestCase {
    func testTheQuestionsOfALineOfSeveralSentences() {
        XCTAssertEqual(TurnInput.questions("Hi, I am getting married. Does your platform provide personal loans? What is the interest rate?"),
                       ["Does your platform provide personal loans?", "What is the interest rate?"])
        XCTAssertEqual(TurnInput.questions("我下个月结婚。你们有贷款吗？"), ["你们有贷款吗？"])
        XCTAssertEqual(TurnInput.questions("What is the interest rate?"), [], "one sentence is the line itself")
        XCTAssertEqual(TurnInput.questions("I am getting married. I need money."), [])
        // A full stop inside a figure, an abbreviation or an address ends nothing.
        XCTAssertEqual(TurnInput.questions("Is the 3.5% yield guaranteed?"), [])
        XCTAssertEqual(TurnInput.questions("Can I buy U.S. stocks? Or only A-shares?"), ["Can I buy U.S. stocks?", "Or only A-shares?"])
        XCTAssertEqual(TurnInput.questions("Is kefu.com yours?"), [])
    }
}
