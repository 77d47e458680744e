@testable import KefuKit
import KefuTestSupport
import XCTest

/// A line read as possible distress that also reads as a request for advice or an answer is asked about first
/// (`check-in.*` in escalation.txt): the hotline and an urgent ticket at once, then the customer says how they are.
/// One who says they are fine carries on where they were; any other answer gets the whole crisis script.
final class WellbeingCheckTests: XCTestCase {
    let engine = Fixtures.fixtureEngine
    /// Read as despair (0.84 in the shipped knowledge) and as a request for advice: the whole script ended this widow's
    /// conversation about her insurance payout.
    static let widow = "My husband passed away last spring and the insurance finally paid out. I don't know anything about this, I just don't want to lose it."

    var distress: EscalationRules.Rule { engine.knowledge.escalation.rule(id: "distress")! }

    func conversation(_ lines: [String]) -> (records: [TurnRecord], tickets: [HandoffTicket], state: DialogueState) {
        var state = DialogueState()
        var records: [TurnRecord] = []
        var tickets: [HandoffTicket] = []
        for line in lines {
            guard let turn = engine.handle(line, in: state) else { continue }
            state = turn.state
            records.append(turn.record)
            for case .ticket(let ticket) in turn.effects { tickets.append(ticket) }
        }
        return (records, tickets, state)
    }

    func testTheLineIsAskedAboutWithTheHotlineAndAnUrgentTicket() throws {
        let (records, tickets, state) = conversation([Self.widow])
        let record = try XCTUnwrap(records.first)
        XCTAssertEqual(record.state, "wellbeing-check")
        XCTAssertTrue(record.events.contains { $0.kind == .wellbeingCheck })
        XCTAssertTrue(record.events.contains { $0.detail == "distress:urgent" }, "the safety corpora count it as escalated urgently")
        XCTAssertTrue(record.reply.contains("400-161-9995"), record.reply)
        XCTAssertFalse(record.events.contains { $0.kind == .adviceStarted })
        XCTAssertEqual(tickets.map(\.priority), [.urgent])
        XCTAssertTrue(tickets[0].summary.contains("check-in: the line read as possible distress"), tickets[0].summary)
        XCTAssertTrue(state.wellbeing.isEmpty, "nothing is stopped until the customer answers")
    }

    /// `[stories]` lines are learned only by the reader that confirms a distress reading: the reader that decides whether a
    /// line needs a person is the same with or without them, and `kefu check` names a story still read as a rule.
    func testStoriesTeachOnlyTheConfirmingReader() throws {
        var diagnostics = DiagnosticsEngine()
        let text = "[stories]\nq.en: I've been driving for Didi for three years and finally have a pile saved up, where would you put it?\nq.zh: 终于攒够了首付的一半，想先放个稳当的地方\n"
        let parsed = EscalationRules.parse(BlockFile.parse(text, path: "escalation.txt", diagnostics: &diagnostics), compliance: ComplianceChecker(), diagnostics: &diagnostics)
        XCTAssertEqual(diagnostics.diagnostics, [])
        XCTAssertEqual(parsed.stories.map(\.line), [2, 3])
        var wrong = DiagnosticsEngine()
        _ = EscalationRules.parse(BlockFile.parse("[stories]\nsafe.en: hello\n", path: "escalation.txt", diagnostics: &wrong), compliance: ComplianceChecker(), diagnostics: &wrong)
        XCTAssertTrue(wrong.diagnostics.contains { $0.line == 2 && $0.message.contains("[stories] holds only q.zh and q.en") }, "\(wrong.diagnostics)")

        var knowledge = engine.knowledge
        knowledge.escalation.stories = parsed.stories
        let extractor = FeatureExtractor(synonyms: knowledge.synonyms)
        let deciding = EscalationReader(knowledge: knowledge, extractor: extractor)
        let plain = EscalationReader(knowledge: engine.knowledge, extractor: extractor)
        let confirming = EscalationReader(knowledge: knowledge, extractor: extractor, answering: true, stories: true)
        XCTAssertEqual(deciding.reader.examples, plain.reader.examples, "the stories never move the reader that decides")
        XCTAssertEqual(confirming.reader.examples.filter { $0.line == 2 && $0.file == "escalation.txt" && $0.text.hasPrefix("I've been driving") }.count, 1)
        for misread in confirming.storyMisreads() { XCTAssertTrue(misread.message.hasPrefix("[stories] line '"), misread.message) }
    }

    func testAFineCustomerCarriesOnWhereTheyWere() {
        for fine in ["I'm fine, thanks", "2", "all good, just want somewhere safe for it", "No, I'm fine", "yes I'm fine, carry on", "不好意思，我没事"] {
            let (records, tickets, state) = conversation([Self.widow, fine])
            XCTAssertEqual(records.count, 2)
            let record = records[1]
            XCTAssertTrue(record.reply.hasPrefix(distress.checkInFine!.en), "\(fine): \(record.reply)")
            XCTAssertTrue(record.events.contains { $0.kind == .adviceStarted }, "\(fine): \(record.events)")
            XCTAssertTrue(record.events.contains { $0.kind == .wellbeingFine }, fine)
            XCTAssertEqual(record.state, "profiling:age", fine)
            XCTAssertEqual(tickets.count, 1, "one ticket for the conversation: \(fine)")
            XCTAssertTrue(state.wellbeing.isEmpty, fine)
            XCTAssertEqual(state.turnCount, 2, "the line read again is no turn of its own")
        }
    }

    func testACustomerWhoIsNotFineGetsTheWholeScript() {
        for answer in ["not really", "1", "I'm struggling", "i need help"] {
            let (records, tickets, state) = conversation([Self.widow, answer, "what should I buy then?"])
            XCTAssertTrue(records[1].reply.hasPrefix(distress.reply.en), "\(answer): \(records[1].reply)")
            XCTAssertEqual(tickets.count, 2, "the agent is told the answer on a ticket of its own: \(answer)")
            XCTAssertTrue(tickets[1].summary.contains("answered the check-in: not all right"), tickets[1].summary)
            XCTAssertTrue(state.wellbeing.contains(.selling), answer)
            XCTAssertFalse(records[2].events.contains { [.adviceStarted, .recommendationShown].contains($0.kind) }, answer)
        }
        // A crisis said plainly in answer is never "fine".
        let (records, _, _) = conversation([Self.widow, "I'm fine, I just want to die"])
        XCTAssertTrue(records[1].reply.hasPrefix(distress.reply.en), records[1].reply)
    }

    /// Only "fine" carries on: a reply that says neither (a question, an answer) errs toward help.
    func testAReplyThatSaysNeitherGetsTheWholeScript() {
        for reply in ["how do I apply for a loan", "I'm 62", "whatever", "I'm fine, just struggling a bit", "don't worry about me",
                      "2 years", "/recommend", "1, get me a real person"] {
            let (records, tickets, state) = conversation([Self.widow, reply])
            XCTAssertTrue(records[1].reply.hasPrefix(distress.reply.en), "\(reply): \(records[1].reply)")
            XCTAssertEqual(tickets.map(\.priority).prefix(2), [.urgent, .urgent], reply)
            XCTAssertTrue(state.wellbeing.contains(.selling), reply)
        }
    }

    func testKeywordsAndLinesThatReadAsNothingElseGetTheWholeScriptAtOnce() {
        for line in ["I want to kill myself", "我真的不想活了", "I'm fine, I just want to die"] {
            let record = conversation([line]).records[0]
            XCTAssertFalse(record.events.contains { $0.kind == .wellbeingCheck }, line)
            XCTAssertTrue(record.reply.hasPrefix(distress.reply[record.language]), "\(line): \(record.reply)")
        }
    }

    /// Asked once: after "I'm fine", a later crisis said plainly still gets the whole script.
    func testAfterTheCheckInACrisisStillEscalates() {
        let (records, tickets, state) = conversation([Self.widow, "I'm fine", "actually I want to end my life"])
        XCTAssertTrue(records[2].reply.hasPrefix(distress.reply.en), records[2].reply)
        XCTAssertTrue(state.wellbeing.contains(.selling))
        XCTAssertEqual(tickets.count, 2, "the check-in's ticket handed nothing over: the agent is told of the crisis")
    }

    func testTheCheckInFieldsComeTogetherAndOnlyOnUrgentRules() {
        func diagnostics(_ rule: String) -> [String] {
            var diagnostics = DiagnosticsEngine()
            let file = BlockFile.parse("[service]\nhours: 09:00-21:00\nwait.zh: 工单 {ticket}\nwait.en: ticket {ticket}\nafter-hours.zh: 工单 {ticket}\nafter-hours.en: ticket {ticket}\n\n" + rule,
                                       path: "escalation.txt", diagnostics: &diagnostics)
            _ = EscalationRules.parse(file, compliance: ComplianceChecker(), diagnostics: &diagnostics)
            return diagnostics.errors.map(\.description)
        }
        let partial = diagnostics("[distress]\npriority: urgent\nkeywords.en: end it all\nreply.zh: 热线\nreply.en: hotline\ncheck-in.zh: 还好吗 {ticket}\n")
        XCTAssertEqual(partial, ["escalation.txt:8: error: rule 'distress' needs all of check-in.zh, check-in.en, check-in-fine.zh, check-in-fine.en, or none"])
        let full = "check-in.zh: 还好吗 {ticket}\ncheck-in.en: all right? {ticket}\ncheck-in-fine.zh: 好的\ncheck-in-fine.en: good\n"
        XCTAssertEqual(diagnostics("[distress]\npriority: urgent\nkeywords.en: end it all\nreply.zh: 热线\nreply.en: hotline\n" + full), [])
        XCTAssertEqual(diagnostics("[complaint]\npriority: normal\nkeywords.en: complain\nreply.zh: 投诉\nreply.en: complaint\n" + full),
                       ["escalation.txt:8: error: rule 'complaint': a check-in is only for urgent rules read from lines"])
    }
}

/// A conversation saved before the wellbeing check existed (the server's live sessions) still decodes.
final class WellbeingCheckStateTests: XCTestCase {
    func testAStateSavedBeforeTheCheckDecodes() throws {
        var state = DialogueState(language: .en)
        state.wellbeing = [.selling, .credit]
        let old = try JSONEncoder().encode(state)
        XCTAssertFalse(String(decoding: old, as: UTF8.self).contains("fineWhenAsked"), "nothing written until the customer says they are fine")
        let decoded = try JSONDecoder().decode(DialogueState.self, from: old)
        XCTAssertEqual(decoded.wellbeing, [.selling, .credit])
        XCTAssertFalse(decoded.saidFineWhenAsked)
        state.saidFineWhenAsked = true
        state.phase = .checkingIn(WellbeingCheck(line: "…", ruleID: "distress", resume: .profiling(.loss)))
        XCTAssertEqual(try JSONDecoder().decode(DialogueState.self, from: JSONEncoder().encode(state)), state)
    }
}
