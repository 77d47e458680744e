import KefuKit
import KefuTestSupport
import XCTest

/// Trainee lines with the judgement a trainer expects, per skill, in both languages.
final class RehearsalScoringTests: RehearsalScoringCase {
    func testAcknowledgement() {
        check(.acknowledgement, [
            ("理解您的担心，养老钱确实要谨慎。", .good),
            ("您说得对，这是您的养老钱。", .good),
            ("很抱歉让您担心了。", .good),
            ("确实，这笔钱对您很重要。", .good),
            ("您的顾虑很正常，能问一下主要担心什么吗？", .good),
            ("明白，您考虑得很周到。", .good),
            ("我们的产品很好。", .poor),
            ("零钱通收益不错。", .poor),
            ("您听我说。", .poor),
            ("现在很多人都在买。", .poor),
            ("这个没什么好担心的。", .poor),
            ("您主要担心哪方面呢？", .poor),
            ("I understand your concern.", .good),
            ("That makes sense, it's your retirement money.", .good),
            ("I'm sorry you feel worried about this.", .good),
            ("That's a fair point, Mrs Wang.", .good),
            ("I hear you; being careful is wise.", .good),
            ("Thank you for telling me that.", .good),
            ("Our products are great.", .poor),
            ("Cash Plus pays well.", .poor),
            ("Listen to me.", .poor),
            ("Lots of people buy it.", .poor),
            ("There's nothing to worry about.", .poor),
            ("What worries you most?", .poor),
        ], phase: .raised(0))
    }

    func testProbing() {
        check(.probing, [
            ("能问一下您主要担心哪方面吗？", .good),
            ("方便说说是什么原因吗？", .good),
            ("您最在意的是哪一点呢？", .good),
            ("为什么这么觉得呢？", .good),
            ("具体是哪方面让您不放心？", .good),
            ("您的顾虑主要是什么？", .good),
            ("我们的产品很安全。", .poor),
            ("您放心吧。", .poor),
            ("零钱通是 R1 的。", .poor),
            ("这个大家都在买。", .poor),
            ("好的。", .poor),
            ("理解您的担心。", .poor),
            ("May I ask what worries you most?", .good),
            ("Why do you feel that way?", .good),
            ("What makes you say that?", .good),
            ("Could you tell me what happened?", .good),
            ("What concerns you the most?", .good),
            ("Do you mind me asking what's behind that?", .good),
            ("Our products are safe.", .poor),
            ("Don't worry about it.", .poor),
            ("Cash Plus is R1.", .poor),
            ("Everyone buys this.", .poor),
            ("OK.", .poor),
            ("I understand your concern.", .poor),
        ], phase: .raised(0))
    }

    /// Answering "I'm afraid of losing the principal": needs 2 of lowest risk / withdraw any time / not promised.
    func testAddressingTheReason() {
        check(.addressing, [
            ("零钱通是 R1 低风险，随时可取。", .good),
            ("它是风险最低的一档，随存随取，收益会变化、不作承诺。", .good),
            ("这是低风险产品，不是存款，收益不作承诺。", .good),
            ("R1 货币基金，随时能取。", .good),
            ("风险最低，而且随时可取。", .good),
            ("低风险，随存随取，很适合您。", .good),
            ("您放心，没问题的。", .poor),
            ("我们平台很大。", .poor),
            ("很多老人都买了。", .poor),
            ("零钱通挺好的。", .poor),
            ("它是 R1 的。", .poor),
            ("您可以先考虑一下。", .poor),
            ("Cash Plus is R1, the lowest risk, and you can withdraw any time.", .good),
            ("It's low risk and its yield varies and isn't promised.", .good),
            ("You can take it out any time, and it isn't a bank deposit, so returns aren't promised; the yield varies.", .good),
            ("It's the lowest-risk kind and you can withdraw anytime.", .good),
            ("R1 money-market fund; the yield varies.", .good),
            ("Low risk, and you can get your money any time.", .good),
            ("Don't worry, it's fine.", .poor),
            ("We're a big platform.", .poor),
            ("Lots of retirees buy it.", .poor),
            ("Cash Plus is nice.", .poor),
            ("It's R1.", .poor),
            ("Maybe think about it.", .poor),
        ], phase: .reason(0))
    }

    /// Rates quoted must match products.txt; a product named without figures is fine; neither is not judged.
    func testProductKnowledge() {
        check(.product, [
            ("零钱通历史年化 1.5%–2.5%，不作承诺。", .good),
            ("定期宝 90 天历史年化 2.2%–3.0%，有风险。", .good),
            ("稳利债券基金历史年化 2.5% 到 5%，净值会波动。", .good),
            ("零钱通 1 元起投，风险等级 R1。", .good),
            ("定期宝 365 天历史年化 3%，不作承诺。", .good),
            ("零钱通年化 5%，风险低。", .poor),
            ("定期宝 365 天年化 6%，风险低。", .poor),
            ("年化 8%，很划算。", .poor),
            ("稳利债券基金一年 8%，有风险。", .poor),
            ("零钱通每年 3% 左右，风险低。", .poor),
            ("您好，我是客服小张。", nil),
            ("Cash Plus has historically returned 1.5%–2.5% a year, not promised.", .good),
            ("Steady Bond Fund: historically 2.5%–5.0% a year; its risk is R2.", .good),
            ("Fixed Term 90 days has returned 2.2% to 3.0% historically; returns vary.", .good),
            ("Cash Plus starts from ¥1 and is R1 risk.", .good),
            ("Fixed Term 365 days has returned about 3.5% at best; not promised.", .good),
            ("Cash Plus pays 4% a year, low risk.", .poor),
            ("It returns 10% a year.", .poor),
            ("Steady Bond Fund pays 8%, some risk.", .poor),
            ("Fixed Term 90 days gives you 5%, low risk.", .poor),
            ("Cash Plus yields about 3%, low risk.", .poor),
            ("Hello, I'm Tom from customer service.", nil),
        ], phase: .closing)
        // Loans, with the shop owner (rates must match the loan named).
        check(.product, [
            ("随心借年化利率 7.2%–24%。", .good), ("商户贷年化 6%–18%，按经营情况定。", .good), ("商户贷年化 3%。", .poor), ("随心借年化 5%。", .poor),
            ("Flex Loan's APR is 7.2% to 24%.", .good), ("Merchant Loan is 6%–18% APR.", .good), ("Merchant Loan is only 3% APR.", .poor), ("Flex Loan costs just 2% a year.", .poor),
            ("商户贷最低 6%。", .good), ("Merchant Loan tops out at 18% APR.", .good), ("随心借最高 30%。", .poor), ("Flex Loan APR up to 36%.", .poor),
            ("商户贷提前还款不收违约金。", .good), ("Merchant Loan has no early-repayment penalty.", .good), ("利率 4%，比银行还低。", .poor), ("Our rate is 4%, lower than banks.", .poor),
            ("随心借按天计息，年化 7.2% 起。", .good), ("Flex Loan: interest by the day, from 7.2% APR.", .good), ("商户贷年化 20%。", .poor), ("Merchant Loan at 25% APR.", .poor),
        ], phase: .closing, persona: "shop-owner-loan")
    }

    /// Forbidden promises are a breach; unsuitable products, a proposal without its risk and disparaging others are poor.
    func testCompliance() {
        check(.compliance, [
            ("这个产品保本保息。", .breach),
            ("零钱通稳赚不赔。", .breach),
            ("平台兜底，您放心。", .breach),
            ("绝对安全，没问题。", .breach),
            ("零风险的，您放心买。", .breach),
            ("成长精选股票基金很适合您，风险等级 R5。", .poor),
            ("零钱通很好，推荐您买。", .poor),
            ("银行都是骗子，别信他们。", .poor),
            ("零钱通是 R1，收益不作承诺。", .good),
            ("不保本，收益会波动。", .good),
            ("您好，我是客服小张。", .good),
            ("理解您的担心。", .good),
            ("It's guaranteed.", .breach),
            ("Cash Plus is risk-free.", .breach),
            ("You can't lose money with us.", .breach),
            ("This is 100% safe.", .breach),
            ("There's no risk at all.", .breach),
            ("Growth Select Equity Fund is great for you, R5 risk.", .poor),
            ("I recommend Cash Plus.", .poor),
            ("Banks are scams, honestly.", .poor),
            ("Cash Plus is R1; its yield varies and isn't promised.", .good),
            ("It's not guaranteed; returns vary.", .good),
            ("No investment is risk-free, so let's find what suits you.", .good),
            ("Hello, I'm Tom from customer service.", .good),
        ], phase: .closing)
    }

    /// Pressure is a breach; three questions at once or asking again what was answered is poor.
    func testTone() {
        check(.tone, [
            ("您必须今天就买。", .breach),
            ("最后机会了！", .breach),
            ("不买就亏了。", .breach),
            ("名额有限，赶紧下单。", .breach),
            ("您多大？收入多少？做什么工作？", .poor),
            ("存款多少？打算放多久？买过理财吗？", .poor),
            ("不着急，您慢慢考虑。", .good),
            ("有问题随时问我。", .good),
            ("您好，我是客服小张。", .good),
            ("理解您的担心。", .good),
            ("能问一下您主要担心什么吗？", .good),
            ("You must buy today.", .breach),
            ("Last chance!", .breach),
            ("Hurry, it's today only.", .breach),
            ("What are you waiting for? Sign up.", .breach),
            ("How old are you? What's your income? What do you do?", .poor),
            ("Savings? Goals? Experience?", .poor),
            ("Take your time.", .good),
            ("There's no rush at all.", .good),
            ("Thanks for your patience.", .good),
            ("May I ask what worries you?", .good),
            ("Hello, I'm Tom.", .good),
        ], phase: .closing)
    }

    func testAskingAgainWhatWasAnsweredIsPoorTone() {
        for (language, question) in [(Language.zh, "您今年多大年纪了？"), (.en, "How old are you, if I may ask?")] {
            let first = engine.handle(question, in: state(.intro, language: language))
            XCTAssertEqual(first.judgement.verdict(.tone), .good)
            XCTAssertTrue(first.reply?.contains("68") ?? false, first.reply ?? "")
            let second = engine.handle(question, in: first.state)
            XCTAssertEqual(second.judgement.verdict(.tone), .poor)
        }
    }

    func testPercentagesAreRead() {
        XCTAssertEqual(RehearsalScorer.percentages(in: "历史年化 1.5%–2.5%"), [1.5, 2.5])
        XCTAssertEqual(RehearsalScorer.percentages(in: "APR 7.2 % to 24%"), [7.2, 24])
        XCTAssertEqual(RehearsalScorer.percentages(in: "年化５％"), [5])
        XCTAssertEqual(RehearsalScorer.percentages(in: "no numbers"), [])
    }

    func testEnglishPhrasesStartAWord() {
        XCTAssertFalse(RehearsalScorer.contains("let me manage it", "age"))
        XCTAssertTrue(RehearsalScorer.contains("i understand", "understand"))
        XCTAssertTrue(RehearsalScorer.contains("理解您", "理解"))
    }
}
