import KefuKit
import KefuTestSupport
import XCTest

/// The checks added for issue #6's blind spots: factual "must" is not pressure, quoted minimums and terms
/// are checked against the catalogue, and hints are recorded and shown on the scorecard.
final class RehearsalFactsAndHintsTests: RehearsalScoringCase {
    /// A factual requirement said with 必须 / "you must" is information; the same words selling are pressure.
    func testFactualMustIsNotPressure() {
        check(.tone, [
            ("您必须先实名认证才能购买。", .good),
            ("开通前必须先完成风险测评，这是监管要求。", .good),
            ("购买理财必须年满 18 周岁。", .good),
            ("银行卡必须是本人名下的。", .good),
            ("申请时必须提供营业执照。", .good),
            ("借款后必须按时还款，逾期会上征信。", .good),
            ("您必须先绑卡才能转入。", .good),
            ("资金必须由本人操作转入。", .good),
            ("您必须今天就买。", .breach),
            ("您必须马上决定。", .breach),
            ("必须先实名认证，而且最后机会了。", .breach),
            ("这个您必须买。", .breach),
            ("转出到的银行卡必须是本人名下的同名卡。", .good),
            ("申请商户贷必须上传近 6 个月的经营流水。", .good),
            ("根据监管规定，购买前必须先做风险测评。", .good),
            ("您必须先开户才能看到产品详情。", .good),
            ("密码必须您自己保管，我们的工作人员绝不会问您要。", .good),
            ("逾期必须按合同支付罚息，还会上报征信。", .good),
            ("您必须现在就定下来，不然额度就没了。", .breach),
            ("这么好的产品，您必须试试。", .breach),
            ("必须买，这个收益太好了。", .breach),
            ("You must verify your identity first.", .good),
            ("You must complete the risk assessment before buying.", .good),
            ("You must be at least 18 to open an account.", .good),
            ("You must use a card in your own name.", .good),
            ("You must provide your business licence when you apply.", .good),
            ("You must repay on time, or it goes on your credit record.", .good),
            ("You must bind a bank card first.", .good),
            ("You must buy it today.", .breach),
            ("You must decide now.", .breach),
            ("You must verify first, and hurry, it's today only.", .breach),
            ("You must take this one.", .breach),
            ("You must be the account holder to withdraw to that card.", .good),
            ("You must upload six months of business records to apply.", .good),
            ("Regulations say you must complete the risk assessment first.", .good),
            ("You must open an account before you can see the product details.", .good),
            ("You must never share your SMS code; our staff will never ask for it.", .good),
            ("You must be at least 18 to buy any of our products.", .good),
            ("You must act today or the quota is gone.", .breach),
            ("You must grab this before it sells out.", .breach),
            ("Honestly, you must try this one.", .breach),
        ], phase: .closing)
    }

    /// Minimums ("起投1000元", "from ¥1") and terms ("期限90天", "a term of 6 to 36 months") against products.txt.
    func testMinimumsAndTermsAgainstTheCatalogue() {
        check(.product, [
            ("定期宝 90 天 1000 元起投，期限 90 天，有风险。", .good),
            ("定期宝 365 天起投 1000 元，锁定一年，收益不作承诺。", .good),
            ("稳利债券基金 100 元起购，R2 风险。", .good),
            ("零钱通 1 元起，无固定期限，风险 R1。", .good),
            ("定期宝 90 天期限三个月，有风险。", .good),
            ("定期宝 90 天起投 100 元，有风险。", .poor),
            ("定期宝 90 天期限半年，有风险。", .poor),
            ("零钱通起投 1000 元，有风险。", .poor),
            ("零钱通期限一年，有风险。", .poor),
            ("定期宝 365 天最低 5000 元，期限两年，有风险。", .poor),
            ("稳利债券基金起投 1 万元，有风险。", .poor),
            ("定期宝 90 天起购 1000 元，到期自动转回零钱通，R2。", .good),
            ("零钱通门槛 1 元，R1，随存随取。", .good),
            ("定期宝 365 天期限一年，1000 元起，收益不作承诺。", .good),
            ("稳利债券基金最低 100 元，R2，收益会波动。", .good),
            ("零钱通起投 100 元，R1。", .poor),
            ("定期宝 365 天期限 180 天，有风险。", .poor),
            ("定期宝 90 天锁定一年，有风险。", .poor),
            ("稳利债券基金最低 1000 元，R2。", .poor),
            ("定期宝 365 天起购 500 元，有风险。", .poor),
            ("您打算先拿 2 万元试试，对吗？", nil),
            ("Fixed Term 90 days starts from ¥1,000 with a 90-day term; returns vary.", .good),
            ("Fixed Term 365 days: minimum ¥1000, locked for 12 months, not promised.", .good),
            ("Cash Plus starts at ¥1 with no fixed term; low risk.", .good),
            ("Steady Bond Fund, minimum ¥100, R2 risk.", .good),
            ("Fixed Term 90 days, minimum ¥100, some risk.", .poor),
            ("Fixed Term 90 days has a term of 6 months; returns vary.", .poor),
            ("Cash Plus has a minimum of ¥500; low risk.", .poor),
            ("Cash Plus is locked for 30 days; low risk.", .poor),
            ("Fixed Term 365 days starts from ¥5,000; not promised.", .poor),
            ("Steady Bond Fund: minimum ¥10k; some risk.", .poor),
            ("Fixed Term 90 days: minimum ¥1,000, a 90-day term, then it goes back into Cash Plus; R2.", .good),
            ("Cash Plus starts from ¥1 and you can withdraw any time; R1.", .good),
            ("Fixed Term 365 days is locked for 12 months and starts from ¥1,000; not promised.", .good),
            ("Steady Bond Fund starts at ¥100; R2, returns vary.", .good),
            ("Fixed Term 365 days starts at ¥100; some risk.", .poor),
            ("Cash Plus has a minimum of ¥1,000; R1.", .poor),
            ("Fixed Term 90 days is locked for 12 months; R2.", .poor),
            ("Fixed Term 90 days is locked for a year; R2.", .poor),
            ("Fixed Term 90 days is locked for three months; R2, returns vary.", .good),
            ("Fixed Term 365 days is locked for half a year; R2.", .poor),
            ("Fixed Term 365 days has a term of 6 months; not promised.", .poor),
            ("Steady Bond Fund: minimum ¥5,000; R2.", .poor),
            ("You mentioned trying ¥20,000 first; is that right?", nil),
        ], phase: .closing)
        check(.product, [
            ("商户贷 1 万元起借，期限 6 至 36 个月。", .good),
            ("随心借借期可选 12 个月，年化 7.2%–24%。", .good),
            ("商户贷借期 3 个月。", .poor),
            ("随心借借期 18 个月。", .poor),
            ("商户贷最低 1000 元起借。", .poor),
            ("Merchant Loan starts from ¥10,000 with a term of 6 to 36 months.", .good),
            ("Flex Loan: repay over 24 months, APR 7.2%–24%.", .good),
            ("Merchant Loan has a term of 5 years.", .poor),
            ("Flex Loan lets you repay over 18 months.", .poor),
            ("Merchant Loan starts from ¥1,000.", .poor),
            ("商户贷年化 6%–18%。", .good), ("Merchant Loan is 6%–18% APR.", .good),
            ("随心借 1000 元起借，年化 7.2% 起。", .good), ("Flex Loan from ¥1,000, APR from 7.2%.", .good),
            ("随心借最低借 500 元。", .poor), ("Flex Loan minimum ¥500.", .poor),
            ("商户贷期限 36 个月，可提前还款。", .good), ("Merchant Loan: term up to 36 months.", .good),
            ("随心借期限可选 3、6 或 12 个月。", .good), ("Flex Loan term: 3, 6 or 12 months.", .good),
            ("商户贷起借 1 万元，可借 6 到 36 个月，提前还款无违约金。", .good), ("Merchant Loan starts from ¥10,000; you can borrow for 6 to 36 months.", .good),
            ("随心借可以分期 3、6、12、24 或 36 个月。", .good), ("Flex Loan lets you repay over 3, 6, 12, 24 or 36 months.", .good),
            ("随心借最低 1000 元起借，期限最长 36 个月。", .good), ("Flex Loan: minimum ¥1,000, term up to 36 months.", .good),
            ("商户贷期限一年，年化 6%–18%。", .good), ("Merchant Loan with a 12-month term, 6%–18% APR.", .good),
            ("商户贷起借 1 万，借期 6 个月起。", .good), ("Merchant Loan's minimum is ¥10,000 and its term is 6 to 36 months.", .good),
            ("商户贷借期 48 个月。", .poor), ("Merchant Loan has a term of 48 months.", .poor),
            ("随心借最少借 5000 元。", .poor), ("Flex Loan has a minimum of ¥5,000.", .poor),
            ("商户贷 5 万元起借。", .poor), ("Merchant Loan starts from ¥50,000.", .poor),
            ("随心借借期 2 个月。", .poor), ("Flex Loan: repay over 2 months.", .poor),
            ("您说想借 5 万，一年内还清，对吧？", nil), ("You'd like ¥50,000 and to pay it back within a year, right?", nil),
        ], phase: .closing, persona: "shop-owner-loan")
    }

    /// A minimum or term said on its own is about the product last named; lengths of time outside a term
    /// clause ("您一年内要用吗") are about the customer and not judged.
    func testFactsFollowTheProductUnderDiscussion() {
        for (language, intro, right, wrong) in [
            (Language.zh, "定期宝 90 天是 R2 中低风险，收益不作承诺。", "起投 1000 元，期限 90 天。", "起投 100 元，期限一年。"),
            (.en, "Fixed Term 90 days is R2, returns not promised.", "It starts from ¥1,000 with a 90-day term.", "It starts from ¥100 and is locked for a year."),
        ] {
            let first = engine.handle(intro, in: state(.raised(0), language: language))
            XCTAssertEqual(first.state.discussed, "fixed-term-90")
            XCTAssertEqual(engine.handle(right, in: first.state).judgement.verdict(.product), .good, right)
            let poor = engine.handle(wrong, in: first.state).judgement.judgements.first { $0.skill == .product }
            XCTAssertEqual(poor?.verdict, .poor, wrong)
            XCTAssertTrue(poor?.suggestion.contains("1000") ?? false, "the suggestion shows the catalogue minimum: \(poor?.suggestion ?? "")")
            XCTAssertTrue(poor?.note.contains(language == .zh ? "90 天" : "90 days") ?? false, "the note shows the catalogue term: \(poor?.note ?? "")")
        }
        XCTAssertNil(verdict(.product, "您这笔钱一年内会用到吗？", .closing, .zh))
        XCTAssertNil(verdict(.product, "Will you need this money within a year?", .closing, .en))
    }

    func testCatalogueTermsAreRead() {
        let checker = ProductFactChecker(rules: Fixtures.shipped.knowledge.rehearsal.scoring)
        let products = Fixtures.shipped.knowledge.products
        func spans(_ id: String) -> [ProductFactChecker.Span] { checker.spans(of: products.product(id: id)!) }
        XCTAssertEqual(spans("fixed-term-90"), [.init(low: 90, high: 90)])
        XCTAssertEqual(spans("cash-plus"), [], "no fixed term")
        XCTAssertEqual(spans("merchant-loan"), [.init(low: 6 * 30.4, high: 36 * 30.4)])
        XCTAssertEqual(Set(spans("flex-loan").map(\.low)), Set([3, 6, 12, 24, 36].map { Double($0) * 30.4 }))
        XCTAssertEqual(spans("balanced-fund").first?.high, .infinity, "2 年以上 / 2 years or more")
    }

    /// `/hint` is kept in the transcript (`agent> /hint` + `# hint:`), replays, and shows on the scorecard.
    func testHintsAreRecordedAndCounted() throws {
        let persona = Fixtures.shipped.knowledge.rehearsal.persona(id: "cautious-retiree")!
        var state = engine.start(persona: persona, language: .en, seed: 7).state
        let hint = engine.takeHint(&state)
        XCTAssertFalse(hint.isEmpty)
        _ = engine.takeHint(&state)
        let card = engine.scorecard(state)
        XCTAssertEqual(card.hints, 2)
        XCTAssertTrue(card.summaryLine.hasSuffix(" · hints 2"), card.summaryLine)
        XCTAssertTrue(card.render(personaName: "Mrs Wang").contains("Hints used: 2"))
        XCTAssertFalse(engine.scorecard(engine.start(persona: persona, language: .en, seed: 7).state).summaryLine.contains("hints"))

        let url = Fixtures.packageRoot.appendingPathComponent("transcripts/rehearse-young-office-worker-strong-zh.txt")
        let transcript = RehearsalTranscript.parse(try String(contentsOf: url, encoding: .utf8))
        XCTAssertTrue(transcript.lines.contains(.agent("/hint")))
        XCTAssertTrue(transcript.lines.contains { if case .other(let text) = $0 { return text.hasPrefix(RehearsalTranscript.hintPrefix) } else { return false } })
        let outcome = RehearsalReplayer(engine: engine).replay(transcript, file: url.path)
        XCTAssertEqual(outcome.mismatches, [])
        XCTAssertEqual(outcome.scorecard?.hints, 1)
        XCTAssertEqual(outcome.scorecard?.outcome, .won)
    }

    /// `not:` phrases of [acknowledgement] and [probing] are removed before the scan ("我不理解", "why not try…"),
    /// and one that holds no phrase of the skill is reported as excusing nothing.
    func testNotPhrasesOfAcknowledgementAndProbing() throws {
        let scorer = engine.scorer
        XCTAssertFalse(scorer.acknowledges("我不理解您为什么这么担心。"))
        XCTAssertTrue(scorer.acknowledges("我不理解的地方先放一放，理解您的担心。"))
        XCTAssertFalse(scorer.probes("Why not try Cash Plus?"))
        XCTAssertTrue(scorer.probes("Why do you feel that way?"))
        let scoring = try String(contentsOf: Fixtures.knowledgeURL.appendingPathComponent("scoring.txt"), encoding: .utf8)
            .replacingOccurrences(of: "not: 不理解,", with: "not: 不好意思打断, 不理解,")
        let root = try Fixtures.temporaryKnowledge(["scoring.txt": scoring])
        defer { try? FileManager.default.removeItem(at: root) }
        var diagnostics = DiagnosticsEngine()
        _ = KnowledgeLoader().loadRehearsal(root, knowledge: Fixtures.shipped.knowledge, diagnostics: &diagnostics)
        XCTAssertTrue(diagnostics.warnings.contains { $0.message.contains("'不好意思打断' holds no phrase of the skill") }, "\(diagnostics.warnings)")
        XCTAssertFalse(diagnostics.errors.contains { $0.file == "scoring.txt" }, "\(diagnostics.errors)")
    }

    func testCheckValidatesTheNewScoringSections() throws {
        let scoring = try String(contentsOf: Fixtures.knowledgeURL.appendingPathComponent("scoring.txt"), encoding: .utf8)
            .replacingOccurrences(of: "[pressure-allowed]\n", with: "[pressure-allowed]\nphrases: 必须, 请慢慢看, 必须保本\ncolour: red\n")
        let root = try Fixtures.temporaryKnowledge(["scoring.txt": scoring])
        defer { try? FileManager.default.removeItem(at: root) }
        var diagnostics = DiagnosticsEngine()
        _ = KnowledgeLoader().loadRehearsal(root, knowledge: Fixtures.shipped.knowledge, diagnostics: &diagnostics)
        let line = scoring.components(separatedBy: "\n").firstIndex { $0.hasPrefix("phrases: 必须, 请慢慢看") }! + 1
        let errors = diagnostics.errors.filter { $0.line == line }.map(\.message).joined(separator: "\n")
        XCTAssertTrue(errors.contains("'必须' is itself a [pressure] phrase"), errors)
        XCTAssertTrue(errors.contains("'必须保本' is a forbidden promise"), errors)
        XCTAssertTrue(diagnostics.warnings.contains { $0.line == line && $0.message.contains("'请慢慢看' holds no [pressure] phrase") })
        XCTAssertTrue(diagnostics.errors.contains { $0.line == line + 1 && $0.message.contains("unknown key 'colour'") })
    }
}
