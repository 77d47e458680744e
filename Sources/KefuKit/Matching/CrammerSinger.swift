/// The Crammer–Singer multiclass SVM, trained by sequential dual coordinate descent with shrinking
/// (Keerthi et al. 2008, liblinear's MCSVM_CS). Unlike one-vs-rest it trains all entries' scores
/// together against each other, so no per-entry score needs calibrating against the others.
/// One fixed-seed order over the examples makes the model the same on every run.
enum CrammerSingerTrainer {
    /// Adds `scale` × (w_c · x + b_c) into feature-major `weights` (features × classes) and `bias`.
    static func train(rows: CSRMatrix, labels: [Int32], exampleWeights: [Float]?, classes k: Int, features: Int,
                      configuration: Matcher.Configuration, scale: Float, weights: inout [Float], bias: inout [Float]) {
        let n = rows.rowCount
        guard n > 0, k > 1 else { return }
        let biasValue: Float = 1 // the constant feature that carries the bias (regularised like the others)
        var w = [Float](repeating: 0, count: features * k)
        var wb = [Float](repeating: 0, count: k)
        var alpha = [Float](repeating: 0, count: n * k)
        // Per example: its classes, active ones first, and where its own class is among them.
        var alphaIndex = [Int32](repeating: 0, count: n * k)
        for i in 0..<n { for m in 0..<k { alphaIndex[i * k + m] = Int32(m) } }
        var activeClasses = [Int](repeating: k, count: n)
        var yIndex = labels.map(Int.init)
        var qd = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var squares = biasValue * biasValue
            for p in rows.rowStart[i]..<rows.rowStart[i + 1] { squares += rows.values[p] * rows.values[p] }
            qd[i] = squares
        }
        let cost = (0..<n).map { max(configuration.svmC, 1e-6) * (exampleWeights?[$0] ?? 1) }
        var index = Array(0..<n)
        var activeSize = n
        var random = SplitMix64(seed: configuration.seed)
        let eps = configuration.svmTolerance
        var epsShrink = max(10 * eps, 1)
        var startFromAll = true
        var g = [Float](repeating: 0, count: k), b = [Float](repeating: 0, count: k), d = [Float](repeating: 0, count: k)
        var alphaNew = [Float](repeating: 0, count: k)
        var full = [Float](repeating: 0, count: k)
        var changed: [(Int, Float)] = []
        changed.reserveCapacity(k)
        var pass = 0
        // Passes get cheap as examples and classes shrink; liblinear allows far more than one-vs-rest's.
        let maxPasses = configuration.svmMaxPasses * 10
        rows.columns.withUnsafeBufferPointer { cols in
            rows.values.withUnsafeBufferPointer { vals in
                w.withUnsafeMutableBufferPointer { w in
                    while pass < maxPasses {
                        pass += 1
                        var stopping = -Float.infinity
                        if activeSize > 1 {
                            for i in stride(from: activeSize - 1, to: 0, by: -1) { index.swapAt(i, Int(random.next() % UInt64(i + 1))) }
                        }
                        var s = 0
                        while s < activeSize {
                            let i = index[s], base = i * k, a = qd[i], active = activeClasses[i], y = Int(labels[i])
                            let start = rows.rowStart[i], end = rows.rowStart[i + 1]
                            // Gradient: margin violation of every active class (1 for the others, 0 for its own).
                            for m in 0..<active { g[m] = 1 + wb[Int(alphaIndex[base + m])] * biasValue }
                            if yIndex[i] < active { g[yIndex[i]] -= 1 }
                            if active == k {
                                // All classes active: whole contiguous rows, which vectorise.
                                for m in 0..<k { full[m] = 0 }
                                for p in start..<end {
                                    let row = w.baseAddress! + Int(cols[p]) * k, x = vals[p]
                                    for m in 0..<k { full[m] += x * row[m] }
                                }
                                for m in 0..<k { g[m] += full[Int(alphaIndex[base + m])] }
                            } else {
                                for p in start..<end {
                                    let row = w.baseAddress! + Int(cols[p]) * k, x = vals[p]
                                    for m in 0..<active { g[m] += x * row[Int(alphaIndex[base + m])] }
                                }
                            }
                            var minG = Float.infinity, maxG = -Float.infinity
                            for m in 0..<active {
                                if alpha[base + Int(alphaIndex[base + m])] < 0 && g[m] < minG { minG = g[m] }
                                if g[m] > maxG { maxG = g[m] }
                            }
                            if yIndex[i] < active && alpha[base + y] < cost[i] && g[yIndex[i]] < minG { minG = g[yIndex[i]] }
                            // Shrink classes stuck at their bound.
                            var activeNow = active
                            var m = 0
                            while m < activeNow {
                                if isShrunk(m, yIndex: yIndex[i], alpha: alpha[base + Int(alphaIndex[base + m])], cost: cost[i], gradient: g[m], minG: minG) {
                                    activeNow -= 1
                                    while activeNow > m {
                                        if !isShrunk(activeNow, yIndex: yIndex[i], alpha: alpha[base + Int(alphaIndex[base + activeNow])], cost: cost[i], gradient: g[activeNow], minG: minG) {
                                            alphaIndex.swapAt(base + m, base + activeNow)
                                            g.swapAt(m, activeNow)
                                            if yIndex[i] == activeNow { yIndex[i] = m } else if yIndex[i] == m { yIndex[i] = activeNow }
                                            break
                                        }
                                        activeNow -= 1
                                    }
                                }
                                m += 1
                            }
                            activeClasses[i] = activeNow
                            if activeNow <= 1 {
                                activeSize -= 1
                                index.swapAt(s, activeSize)
                                continue
                            }
                            s += 1
                            if maxG - minG <= 1e-12 { continue }
                            stopping = max(maxG - minG, stopping)
                            for m in 0..<activeNow { b[m] = g[m] - a * alpha[base + Int(alphaIndex[base + m])] }
                            solveSubproblem(a: a, yIndex: yIndex[i], cost: cost[i], active: activeNow, b: b, d: &d, alphaNew: &alphaNew)
                            changed.removeAll(keepingCapacity: true)
                            for m in 0..<activeNow {
                                let c = Int(alphaIndex[base + m])
                                let delta = alphaNew[m] - alpha[base + c]
                                alpha[base + c] = alphaNew[m]
                                if abs(delta) >= 1e-12 { changed.append((c, delta)) }
                            }
                            for p in start..<end {
                                let row = w.baseAddress! + Int(cols[p]) * k, x = vals[p]
                                for (c, delta) in changed { row[c] += delta * x }
                            }
                            for (c, delta) in changed { wb[c] += delta * biasValue }
                        }
                        if stopping < epsShrink {
                            if stopping < eps && startFromAll { break }
                            activeSize = n
                            for i in 0..<n { activeClasses[i] = k }
                            epsShrink = max(epsShrink / 2, eps)
                            startFromAll = true
                        } else {
                            startFromAll = false
                        }
                    }
                }
            }
        }
        for i in weights.indices { weights[i] += scale * w[i] }
        for c in 0..<k { bias[c] += scale * wb[c] * biasValue }
    }

    @inline(__always)
    private static func isShrunk(_ m: Int, yIndex: Int, alpha: Float, cost: Float, gradient: Float, minG: Float) -> Bool {
        let bound: Float = m == yIndex ? cost : 0
        return alpha == bound && gradient < minG
    }

    /// The one-example subproblem: minimise over alpha_new with sum 0, alpha_m ≤ 0 (≤ C for its own class).
    private static func solveSubproblem(a: Float, yIndex: Int, cost: Float, active: Int, b: [Float], d: inout [Float], alphaNew: inout [Float]) {
        for m in 0..<active { d[m] = b[m] }
        if yIndex < active { d[yIndex] += a * cost }
        d[0..<active].sort(by: >)
        var beta = d[0] - a * cost
        var r = 1
        while r < active && beta < Float(r) * d[r] {
            beta += d[r]
            r += 1
        }
        beta /= Float(r)
        for m in 0..<active {
            alphaNew[m] = m == yIndex ? min(cost, (beta - b[m]) / a) : min(0, (beta - b[m]) / a)
        }
    }
}
