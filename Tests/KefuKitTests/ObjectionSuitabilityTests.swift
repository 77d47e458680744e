import KefuKit
import KefuTestSupport
import XCTest

/// Property: for every objection script × reason × investor level C1…C5 (and loan conversations), in both
/// languages, no objection reply names a product above the customer's level or of the other kind.
final class ObjectionSuitabilityTests: XCTestCase {
    let knowledge = Fixtures.fixture.knowledge
    let engine = Fixtures.fixtureEngine

    /// One complete investment profile per level, found on a small grid of answers.
    func profiles() -> [Int: InvestorProfile] {
        var found: [Int: InvestorProfile] = [:]
        for loss in ["none", "small", "medium", "large"] {
            for experience in ["none", "some", "experienced"] {
                for horizon in [3, 12, 36, 60] {
                    for age in [25, 40, 70] {
                        var profile = InvestorProfile()
                        profile.intent = .invest
                        profile.age = age
                        profile.monthlyIncome = 20_000
                        profile.occupation = age >= 65 ? "retired" : "employed"
                        profile.goal = "saving"
                        profile.horizonMonths = horizon
                        profile.lossTolerance = loss
                        profile.experience = experience
                        profile.amount = 50_000
                        let level = knowledge.suitability.assess(profile) { _ in nil }.level
                        if found[level] == nil { found[level] = profile }
                    }
                }
            }
        }
        return found
    }

    /// Products a reply names, by full name or by the name's words before its first number.
    func named(in reply: String) -> [Product] {
        knowledge.products.products.filter { product in
            [product.name.zh, product.name.en].contains { name in
                let words = name.split(separator: " ")
                let stem = words.firstIndex { $0.contains(where: \.isNumber) }.map { words[..<$0].joined(separator: " ") } ?? name
                return reply.contains(name) || (stem.count >= 2 && reply.contains(stem))
            }
        }
    }

    func testNoObjectionReplyNamesAnUnsuitableProduct() {
        let levels = profiles()
        XCTAssertEqual(Set(levels.keys), Set(1...5), "a profile for every level")
        var contexts: [(name: String, level: Int, profile: InvestorProfile, product: String)] = []
        for (level, profile) in levels {
            // The product objected to: the riskiest one at the customer's level, and the safest.
            let suitable = knowledge.products.products.filter { !$0.isLoan && $0.risk <= level }
            for product in Set([suitable.max { $0.risk < $1.risk }!.id, "cash-plus"]) { contexts.append(("C\(level)", level, profile, product)) }
        }
        var loanProfile = levels[3]!
        loanProfile.intent = .loan
        contexts.append(("loan", 5, loanProfile, "flex-loan"))
        var checked = 0
        for context in contexts {
            let isLoan = context.product == "flex-loan"
            for script in knowledge.objections.scripts {
                for language in Language.allCases {
                    var lines = script.reasons.flatMap { $0.examples.filter { $0.language == language }.prefix(2).map(\.text) }
                    lines.append(language == .zh ? "说不上来" : "hard to say")
                    for line in lines {
                        for phase: DialogueState.Phase in [.objectionProbing(objection: script.id, product: context.product), .recommended] {
                            var state = DialogueState(language: language, languageMode: .fixed(language))
                            state.profile = context.profile
                            state.offer.recommended = [context.product]
                            state.offer.timesOffered = [context.product: 1]
                            state.phase = phase
                            let record = engine.handle(line, in: state)!.record
                            // Lines not taken as a "no" are answered elsewhere (FAQ, profile); this property is about objection replies.
                            let objectionKinds: [DialogueEvent.Kind] = [.objectionRaised, .objectionReason, .reoffered, .objectionDeclined]
                            guard record.events.contains(where: { objectionKinds.contains($0.kind) }) else { continue }
                            let reply = record.reply
                            for product in named(in: reply) where product.isLoan != isLoan || (!product.isLoan && product.risk > context.level) {
                                XCTFail("\(context.name), \(script.id), '\(line)': names \(product.id) (\(product.riskLabel)): \(reply)")
                            }
                            checked += 1
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 500)
    }
}
