import KefuKit
import XCTest

/// The escalation reader on a small fixture knowledge base (not the shipped one, so an edit of escalation.txt
/// never breaks these): examples generalise past the keywords, keywords stay a floor, the more urgent rule
/// wins, a clause is read on its own, and `kefu check`'s misreads point at their lines.
final class EscalationReaderTests: XCTestCase {
    static func example(_ text: String, _ language: Language = .zh, line: Int = 0) -> FAQEntry.Example {
        FAQEntry.Example(text: text, language: language, line: line)
    }

    static let knowledge: KnowledgeBase = {
        let faq = [
            FAQEntry(id: "withdraw-time", examples: ["提现多久到账", "提现什么时候到", "钱转出来要多久", "取出来的钱几天到卡里",
                                                    "how long does a withdrawal take", "when will my cash out arrive"].map { example($0) },
                     answer: Bilingual(zh: "一般几分钟到账。", en: "Usually minutes.")),
            FAQEntry(id: "loan-due-date", examples: ["还款日是几号", "每个月几号扣款", "还款日能改吗", "借款什么时候还",
                                                    "when is my repayment due", "can I change my due date"].map { example($0) },
                     answer: Bilingual(zh: "在借款页面查看。", en: "See the loan page.")),
            FAQEntry(id: "fraud-prevention", examples: ["怎么防止被骗", "怎样识别诈骗电话", "how do I avoid scams", "how to spot a fake call"].map { example($0) },
                     answer: Bilingual(zh: "不要透露验证码。", en: "Never share codes.")),
        ]
        var knowledge = KnowledgeBase(entries: faq)
        var diagnostics = DiagnosticsEngine()
        let text = """
            [distress]
            priority: urgent
            threshold: 0.3
            keywords.zh: 不想活
            keywords.en: kill myself
            q.zh: 我不想再醒来了
            q.zh: 药都攒好了
            q.zh: 家里没有我会更好
            q.zh: 这是我最后一次找你们了
            q.zh: 活着太累了 想解脱
            q.en: I don't want to wake up tomorrow
            q.en: my family would be better off without me
            q.en: this is my last message to anyone
            q.en: I've saved up the pills
            reply.zh: 请拨打热线。
            reply.en: Please call the hotline.

            [fraud]
            priority: urgent
            threshold: 0.3
            keywords.zh: 被骗
            keywords.en: scammed
            unless.zh: 防止被骗
            q.zh: 有人冒充警察让我转钱到安全账户
            q.zh: 我把验证码告诉了自称客服的人
            q.zh: 交了手续费说能提额度 结果人跑了
            q.en: a fake police officer made me move money to a safe account
            q.en: I read the SMS code to someone who said he was customer service
            q.en: I paid a fee to raise my limit and they vanished
            safe.zh: 怎么防止被骗
            reply.zh: 请报警。
            reply.en: Call the police.

            [explicit-request]
            priority: normal
            threshold: 0.4
            keywords.zh: 转人工
            keywords.en: agent
            q.zh: 能不能给我打个电话
            q.zh: 我想跟真人说
            q.zh: 有没有活人
            q.en: can I talk to an actual human being
            q.en: put me through to someone real
            q.en: please call me back
            reply.zh: 马上转接。
            reply.en: Transferring you.

            [none]
            q.zh: 人工客服几点上班
            q.en: what are your service hours
            q.zh: 今天加班累死了
            q.en: this rate is killing me
            """
        let file = BlockFile.parse(text, path: "escalation.txt", diagnostics: &diagnostics)
        knowledge.escalation = EscalationRules.parse(file, compliance: ComplianceChecker(), diagnostics: &diagnostics)
        return knowledge
    }()

    let reader = EscalationReader(knowledge: EscalationReaderTests.knowledge, extractor: FeatureExtractor())

    func testExamplesGeneraliseBeyondTheKeywords() {
        XCTAssertEqual(reader.read("药我都攒好了，家里没有我会更好")?.rule.id, "distress")
        XCTAssertEqual(reader.read("冒充警察的人让我把钱转到安全账户")?.rule.id, "fraud")
        XCTAssertEqual(reader.read("can someone call me back please")?.rule.id, "explicit-request")
        XCTAssertFalse(reader.read("药我都攒好了，家里没有我会更好")?.byKeywords ?? true)
    }

    func testKeywordsStayAFloorAndExceptionsHold() {
        let reading = reader.read("我不想活了")
        XCTAssertEqual(reading?.rule.id, "distress")
        XCTAssertTrue(reading?.byKeywords ?? false)
        XCTAssertNil(reader.read("怎么防止被骗"))
        XCTAssertNil(reader.read("提现多久到账"))
        XCTAssertNil(reader.read("还款日是几号"))
    }

    /// Crisis outranks fraud, fraud outranks a request for a person, whichever found it.
    func testTheMoreUrgentRuleWins() {
        XCTAssertEqual(reader.read("我被骗了，我不想活了")?.rule.id, "distress")
        XCTAssertEqual(reader.read("我被骗了 转人工")?.rule.id, "fraud")
    }

    /// A crisis said after an ordinary question is found in its own clause.
    func testAClauseIsReadOnItsOwn() {
        XCTAssertEqual(EscalationReader.clauses("还款日能改吗？算了，我不想再醒来了"), ["还款日能改吗", "我不想再醒来了"])
        XCTAssertEqual(reader.read("还款日能改吗？算了改不改都一样，家里没有我会更好")?.rule.id, "distress")
    }

    func testMisreadsPointAtTheirLines() {
        var knowledge = Self.knowledge
        knowledge.escalation.rules[0].examples.append(Self.example("提现多久到账", line: 99))
        knowledge.escalation.rules[0].covers = ["no-such-entry"]
        knowledge.escalation.rules[0].near = ["no-such-neighbour"]
        let misreads = EscalationReader(knowledge: knowledge, extractor: FeatureExtractor()).misreads(entryIDs: Set(knowledge.entries.map(\.id)))
        XCTAssertTrue(misreads.contains { $0.line == 99 && $0.message.contains("example '提现多久到账' is read as") }, "\(misreads)")
        XCTAssertTrue(misreads.contains { $0.message.contains("covers names no FAQ entry 'no-such-entry'") }, "\(misreads)")
        XCTAssertTrue(misreads.contains { $0.message.contains("near names no FAQ entry 'no-such-neighbour'") }, "\(misreads)")
    }

    /// An entry a rule is `near:` is not learned as lines that need no person, as an entry it `covers:` is not.
    func testEntriesNearARuleAreNoCounterExamples() {
        var knowledge = Self.knowledge
        guard let entry = knowledge.entries.first else { return XCTFail("no FAQ entry in the fixture") }
        let learned = EscalationReader(knowledge: knowledge, extractor: FeatureExtractor()).reader.examples.filter { $0.file == entry.file }.count
        knowledge.escalation.rules[0].near = [entry.id]
        let near = EscalationReader(knowledge: knowledge, extractor: FeatureExtractor()).reader.examples.filter { $0.file == entry.file }.count
        XCTAssertLessThan(near, learned)
    }
}
