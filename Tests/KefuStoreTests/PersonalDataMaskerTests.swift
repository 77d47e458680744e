import KefuKit
import XCTest

final class PersonalDataMaskerTests: XCTestCase {
    let masker = PersonalDataMasker()

    /// (input, expected output). Valid numbers: ID 11010519491231002X / 440304199001011233 (GB 11643
    /// checksum), cards 6222021234567890128 (19) / 4111111111111111 (16) (Luhn).
    let masked: [(String, String)] = [
        // ID cards
        ("身份证号 11010519491231002X", "身份证号 **************002X"),
        ("身份证号11010519491231002x。", "身份证号**************002X。"),
        ("ID 440304199001011233 please", "ID **************1233 please"),
        ("身份证：１１０１０５１９４９１２３１００２Ｘ", "身份证：**************002X"),
        // Bank cards
        ("my card 6222021234567890128 was stolen", "my card **** **** **** 0128 was stolen"),
        ("卡号 6222 0212 3456 7890 128", "卡号 **** **** **** 0128"),
        ("card 4111-1111-1111-1111.", "card **** **** **** 1111."),
        ("卡号4111111111111111被盗刷", "卡号**** **** **** 1111被盗刷"),
        // Mobiles
        ("手机 13812345678", "手机 *******5678"),
        ("call me at +86 138 1234 5678", "call me at *******5678"),
        ("电话+86-13812345678谢谢", "电话*******5678谢谢"),
        ("+8613812345678", "*******5678"),
        ("(+86) 139-1234-5678", "*******5678"),
        ("我35岁 13812345678", "我35岁 *******5678"),
        ("2026 13812345678", "2026 *******5678"),
        // E-mail
        ("mail me: Zhang.San+kefu@example.com.cn.", "mail me: ****@example.com.cn."),
        ("邮箱是zhangsan@qq.com谢谢", "邮箱是****@qq.com谢谢"),
        ("13812345678@139.com", "****@139.com"),
        // Verification codes, passwords
        ("验证码是 123456", "验证码是 ******"),
        ("验证码：8842", "验证码：****"),
        ("我的验证码为123456，怎么用", "我的验证码为******，怎么用"),
        ("my code is 123456", "my code is ******"),
        ("call 13812345678 please", "call *******5678 please"),   // a word after it that is not money
        ("Verification code: 90210", "Verification code: *****"),
        ("the OTP was 774411", "the OTP was ******"),
        ("密码是 88888888", "密码是 ********"),
        // Mixed Chinese and English, several kinds in one line
        ("Hi, 我的卡 6222021234567890128 被盗刷了, phone 13812345678, email a.b@corp.cn, 验证码 654321",
         "Hi, 我的卡 **** **** **** 0128 被盗刷了, phone *******5678, email ****@corp.cn, 验证码 ******"),
        ("身份证11010519491231002X和手机13912345678都给你了", "身份证**************002X和手机*******5678都给你了"),
        // Mistyped numbers (#16): a customer's number is theirs whatever its checksum.
        ("我卡号6222021234567890123，身份证号110101199003071234", "我卡号**** **** **** 0123，身份证号**************1234"),
        ("订单号 202611271234567890", "订单号 **************7890"),          // 18 digits: ID-shaped
        ("order 6222021234567890123", "order **** **** **** 0123"),         // 19 digits failing Luhn
        ("order 2026112712345678", "order **** **** **** 5678"),            // 16 digits failing Luhn
        ("110105194912310021", "**************0021"),                     // wrong check digit
        ("110105194913310021", "**************0021"),                     // month 13
        ("110105194902300012", "**************0012"),                     // 30 February
        ("身份证 11010519491231009X 对吗", "身份证 **************009X 对吗"),  // X with a wrong checksum
        ("老身份证 110105491231002", "老身份证 **************1002"),         // the old 15-digit form
        ("card 6222-0212-3456-7890-123 declined", "card **** **** **** 0123 declined"),
        ("卡 6222 0212 3456 7890", "卡 **** **** **** 7890"),                // 16 digits in groups, Luhn fails
        ("¥6222021234567890123 charged", "¥**** **** **** 0123 charged"),   // too long to be an amount
        ("622202123456789012元", "**************9012元"),
        ("2026 13812345678 6222021234567890123", "2026 *******5678 **** **** **** 0123"),  // separate numbers stay separate
        // However a number is grouped (the audit's shapes), and runs longer than any card
        ("身份证号 110101 19900307 1234", "身份证号 **************1234"),
        ("ID: 110101-19900307-1234", "ID: **************1234"),
        ("ID 110101 199003071234", "ID **************1234"),
        ("卡号 62220212 34567890 123", "卡号 **** **** **** 0123"),
        ("我的卡 6222021234 567890123", "我的卡 **** **** **** 0123"),
        ("卡号62220212345678901234", "卡号**** **** **** 1234"),
        ("62220212345678901234 was charged", "**** **** **** 1234 was charged"),
        ("卡号 6222－0212－3456－7890－123", "卡号 **** **** **** 0123"),
        ("卡号 6222 - 0212 - 3456 - 7890 - 123", "卡号 **** **** **** 0123"),
        ("卡号：6222 0212 3456 7890 1234 5", "卡号：**** **** **** 2345"),
        ("借款 10000 20000 30000", "借款 **************0000"),      // privacy first: 15 digits in groups read as an ID
        // Labelled numbers of 6+ digits, whatever their length
        ("卡号 62220212", "卡号 ****0212"),
        ("银行卡6222021234567", "银行卡*********4567"),
        ("证件号：12345678", "证件号：****5678"),
        ("账号 00123456789", "账号 *******6789"),
        ("account number: 1234 5678 90", "account number: ******7890"),
        ("my account is 98765432", "my account is ****5432"),
        ("ID number 1234567", "ID number ***4567"),
        ("密码 123456789012", "密码 ************"),
        ("验证码 123456789", "验证码 *********"),
        ("password is 1234567", "password is *******"),
        ("code 99887766554433", "code **************"),
    ]

    /// Numbers that look like personal data but are not: left exactly as written.
    let untouched: [String] = [
        "我想投100000元",                       // amount
        "我想投 100000",                        // amount without unit
        "¥13800000000 is a lot",                // amount after a currency sign (11 digits starting 13)
        "13800000000元",                        // amount with a unit
        "金额 13800000000 元",                   // the unit written apart
        "¥ 13800000000",                        // the sign written apart
        "transfer 13900000000 RMB",              // an English currency word after it
        "月薪 20000, 年薪 240000",
        "2026-11-27 到账了吗",                   // date
        "20261127 到账了吗",                     // compact date
        "12345678901",                           // 11 digits but not 1[3-9]
        "1381234567",                            // 10 digits
        "138123456789",                          // 12 digits
        "利率 3.5%，期限 36 个月",
        "rate 13812345678.5",                    // decimal
        "1.13812345678",                         // fraction of a decimal
        "验证码收不到怎么办",                     // code word without a code
        "code 12",                               // too short for a code
        "账户余额 600000",                        // a label, but another word between it and the number
        "账户 500000元",                          // an amount after the label
        "account 12345",                         // 5 digits after a label: too short
        "订单号 20261127123456",                  // 14 digits: below the long-run rule
        "idle 123456",                           // "id" glued to other letters
        "2026-11-01 2026-11-27 两天都提现了",       // dates, however many
        "我分三次转了 5000 3000 2000 1000 元",      // amounts before a unit of money
        "barcode 123456",                        // "code" glued to other letters
        "name@localhost",                        // no domain
        "a@b.c",                                 // one-letter top-level domain
        "提现多久到账",
        "what about 5000 a month",
    ]

    func testMasksEachKind() {
        for (input, expected) in masked {
            XCTAssertEqual(masker.mask(input), expected, "input: \(input)")
        }
    }

    func testLeavesNearMissesAlone() {
        for input in untouched {
            XCTAssertEqual(masker.mask(input), input, "should not be masked: \(input)")
        }
    }

    func testMaskingIsIdempotent() {
        for (input, _) in masked {
            let once = masker.mask(input)
            XCTAssertEqual(masker.mask(once), once, "masking twice changed: \(input)")
        }
    }

    func testFindingsNameTheKinds() {
        let kinds = masker.findings(in: "卡 6222021234567890128 身份证 11010519491231002X 手机 13812345678 a@b.cn 验证码 1234").map(\.kind)
        XCTAssertEqual(kinds, [.bankCard, .idCard, .mobile, .email, .code])
    }

    func testChecksumsDoNotSpareANumber() {
        XCTAssertTrue(masker.containsPersonalData("11010519491231002X"))
        XCTAssertTrue(masker.containsPersonalData("320106198506153018"))
        XCTAssertTrue(masker.containsPersonalData("4111111111111111"))
        // A failed checksum no longer spares a number: it is a mistyped card or ID, still the customer's.
        XCTAssertTrue(masker.containsPersonalData("320106198506153019"))
        XCTAssertTrue(masker.containsPersonalData("4111111111111112"))
    }

    func testKeepsLastFourDigits() {
        XCTAssertTrue(masker.mask("6222021234567890128").hasSuffix("0128"))
        XCTAssertTrue(masker.mask("13812345678").hasSuffix("5678"))
        XCTAssertTrue(masker.mask("440304199001011233").hasSuffix("1233"))
    }

    func testTextWithoutDigitsIsReturnedAsIs() {
        let text = "您好，请问提现多久到账？Hello there."
        XCTAssertEqual(masker.mask(text), text)
    }
}
