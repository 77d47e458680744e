/// The Porter stemmer (M.F. Porter, 1980) for lowercase English words, so "charged", "charges" and
/// "charging" meet as "charg". Words with anything but a-z, and words of one or two letters, are left alone.
public enum EnglishStemmer {
    public static func stem(_ word: String) -> String {
        var scalars = Array(word.unicodeScalars)
        stem(&scalars)
        return String(String.UnicodeScalarView(scalars))
    }

    public static func stem(_ word: inout [Unicode.Scalar]) {
        guard word.count > 2 else { return }
        var bytes = [UInt8]()
        bytes.reserveCapacity(word.count + 4)
        for s in word {
            guard s.value >= 97 && s.value <= 122 else { return }
            bytes.append(UInt8(s.value))
        }
        var porter = Porter(b: bytes)
        porter.run()
        if porter.k + 1 != word.count || !zip(porter.b[0...porter.k], word).allSatisfy({ UInt32($0) == $1.value }) {
            word = porter.b[0...porter.k].map { Unicode.Scalar($0) }
        }
    }

    private struct Porter {
        var b: [UInt8]
        var k: Int
        var j: Int = 0

        init(b: [UInt8]) {
            self.b = b
            self.k = b.count - 1
        }

        mutating func run() {
            step1ab()
            if k > 0 {
                step1c(); step2(); step3(); step4(); step5()
            }
        }

        func cons(_ i: Int) -> Bool {
            switch b[i] {
            case 97, 101, 105, 111, 117: return false // a e i o u
            case 121: return i == 0 ? true : !cons(i - 1) // y
            default: return true
            }
        }

        /// The number of consonant sequences between 0 and j ([C](VC)^m[V]).
        func m() -> Int {
            var n = 0, i = 0
            while true {
                if i > j { return n }
                if !cons(i) { break }
                i += 1
            }
            i += 1
            while true {
                while true {
                    if i > j { return n }
                    if cons(i) { break }
                    i += 1
                }
                i += 1
                n += 1
                while true {
                    if i > j { return n }
                    if !cons(i) { break }
                    i += 1
                }
                i += 1
            }
        }

        func vowelInStem() -> Bool {
            var i = 0
            while i <= j {
                if !cons(i) { return true }
                i += 1
            }
            return false
        }

        func doubleC(_ i: Int) -> Bool { i >= 1 && b[i] == b[i - 1] && cons(i) }

        func cvc(_ i: Int) -> Bool {
            if i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2) { return false }
            let c = b[i]
            return c != 119 && c != 120 && c != 121 // w x y
        }

        mutating func ends(_ s: StaticString) -> Bool {
            let length = s.utf8CodeUnitCount
            if length > k + 1 { return false }
            let p = s.utf8Start
            if p[length - 1] != b[k] { return false }
            for t in 0..<length where b[k - length + 1 + t] != p[t] { return false }
            j = k - length
            return true
        }

        mutating func setTo(_ s: StaticString) {
            let length = s.utf8CodeUnitCount
            let p = s.utf8Start
            b.removeSubrange((j + 1)...)
            for t in 0..<length { b.append(p[t]) }
            k = j + length
        }

        mutating func r(_ s: StaticString) { if m() > 0 { setTo(s) } }

        mutating func step1ab() {
            if b[k] == 115 { // s
                if ends("sses") { k -= 2 } else if ends("ies") { setTo("i") } else if k >= 1 && b[k - 1] != 115 { k -= 1 }
            }
            if ends("eed") {
                if m() > 0 { k -= 1 }
            } else if (ends("ed") || ends("ing")) && vowelInStem() {
                k = j
                b.removeSubrange((k + 1)...)
                if ends("at") { setTo("ate") } else if ends("bl") { setTo("ble") } else if ends("iz") { setTo("ize") } else if doubleC(k) {
                    k -= 1
                    let c = b[k]
                    if c == 108 || c == 115 || c == 122 { k += 1 } // l s z
                } else if m() == 1 && cvc(k) {
                    j = k
                    setTo("e")
                }
            }
            b.removeSubrange((k + 1)...)
        }

        mutating func step1c() {
            if ends("y") && vowelInStem() { b[k] = 105 }
        }

        mutating func step2() {
            guard k >= 1 else { return }
            switch b[k - 1] {
            case 97:
                if ends("ational") { r("ate") } else if ends("tional") { r("tion") }
            case 99:
                if ends("enci") { r("ence") } else if ends("anci") { r("ance") }
            case 101:
                if ends("izer") { r("ize") }
            case 108:
                if ends("bli") { r("ble") } else if ends("alli") { r("al") } else if ends("entli") { r("ent") } else if ends("eli") { r("e") } else if ends("ousli") { r("ous") }
            case 111:
                if ends("ization") { r("ize") } else if ends("ation") { r("ate") } else if ends("ator") { r("ate") }
            case 115:
                if ends("alism") { r("al") } else if ends("iveness") { r("ive") } else if ends("fulness") { r("ful") } else if ends("ousness") { r("ous") }
            case 116:
                if ends("aliti") { r("al") } else if ends("iviti") { r("ive") } else if ends("biliti") { r("ble") }
            case 103:
                if ends("logi") { r("log") }
            default: break
            }
        }

        mutating func step3() {
            switch b[k] {
            case 101:
                if ends("icate") { r("ic") } else if ends("ative") { r("") } else if ends("alize") { r("al") }
            case 105:
                if ends("iciti") { r("ic") }
            case 108:
                if ends("ical") { r("ic") } else if ends("ful") { r("") }
            case 115:
                if ends("ness") { r("") }
            default: break
            }
        }

        mutating func step4() {
            guard k >= 1 else { return }
            var matched = false
            switch b[k - 1] {
            case 97: matched = ends("al")
            case 99: matched = ends("ance") || ends("ence")
            case 101: matched = ends("er")
            case 105: matched = ends("ic")
            case 108: matched = ends("able") || ends("ible")
            case 110: matched = ends("ant") || ends("ement") || ends("ment") || ends("ent")
            case 111:
                if ends("ion") && j >= 0 && (b[j] == 115 || b[j] == 116) { matched = true } else { matched = ends("ou") }
            case 115: matched = ends("ism")
            case 116: matched = ends("ate") || ends("iti")
            case 117: matched = ends("ous")
            case 118: matched = ends("ive")
            case 122: matched = ends("ize")
            default: matched = false
            }
            if matched && m() > 1 {
                k = j
                b.removeSubrange((k + 1)...)
            }
        }

        mutating func step5() {
            j = k
            if b[k] == 101 {
                let a = m()
                if a > 1 || (a == 1 && !cvc(k - 1)) { k -= 1 }
            }
            if b[k] == 108 && doubleC(k) && m() > 1 { k -= 1 }
            b.removeSubrange((k + 1)...)
        }
    }
}
