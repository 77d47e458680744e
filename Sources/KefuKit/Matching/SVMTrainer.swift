import Dispatch

/// One-vs-rest linear SVMs with the squared hinge loss, trained by dual coordinate descent with
/// shrinking (Hsieh et al. 2008, as in liblinear). Classes are independent, so they are trained in
/// parallel; each has its own fixed-seed order, so the result does not depend on thread timing.
enum SVMTrainer {
    /// Adds `scale` × (w_c · x + b_c) into feature-major `weights` (features × classes) and `bias`.
    static func train(rows: CSRMatrix, labels: [Int32], exampleWeights: [Float]?, classes: Int, features: Int, configuration: Matcher.Configuration,
                      scale: Float, weights: inout [Float], bias: inout [Float]) {
        let n = rows.rowCount
        guard n > 0, classes > 1 else { return }
        // Squared hinge loss: the dual has D_ii = 1 / (2 C_i), with C_i = C × the example's weight.
        let c = max(configuration.svmC, 1e-6)
        let diagonal = (0..<n).map { 0.5 / (c * (exampleWeights?[$0] ?? 1)) }
        var qd = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var squares: Float = 1 // the bias feature
            for k in rows.rowStart[i]..<rows.rowStart[i + 1] { squares += rows.values[k] * rows.values[k] }
            qd[i] = squares + diagonal[i]
        }
        let sharedQD = qd
        weights.withUnsafeMutableBufferPointer { out in
            bias.withUnsafeMutableBufferPointer { outBias in
                let outBase = UnsafeMutableSendablePointer(out.baseAddress!)
                let biasBase = UnsafeMutableSendablePointer(outBias.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: classes) { c in
                    let (w, b) = trainOne(Int32(c), rows: rows, labels: labels, features: features, qd: sharedQD,
                                          diagonal: diagonal, configuration: configuration)
                    let base = outBase.pointer
                    for f in 0..<features where w[f] != 0 { base[f * classes + c] += scale * w[f] }
                    biasBase.pointer[c] += scale * b
                }
            }
        }
    }

    static func trainOne(_ target: Int32, rows: CSRMatrix, labels: [Int32], features: Int, qd: [Float], diagonal: [Float],
                         configuration: Matcher.Configuration) -> ([Float], Float) {
        let n = rows.rowCount
        var w = [Float](repeating: 0, count: features)
        var wb: Float = 0
        var alpha = [Float](repeating: 0, count: n)
        var index = Array(0..<n)
        var activeSize = n
        var pgMaxOld = Float.infinity  // L2 loss has no upper bound, so only the lower side shrinks
        var random = SplitMix64(seed: configuration.seed &+ UInt64(target) &* 0x9E37_79B9_7F4A_7C15)
        rows.columns.withUnsafeBufferPointer { cols in
            rows.values.withUnsafeBufferPointer { vals in
                w.withUnsafeMutableBufferPointer { w in
                    var pass = 0
                    while pass < configuration.svmMaxPasses {
                        pass += 1
                        var pgMaxNew = -Float.infinity, pgMinNew = Float.infinity
                        if activeSize > 1 {
                            for i in stride(from: activeSize - 1, to: 0, by: -1) {
                                index.swapAt(i, Int(random.next() % UInt64(i + 1)))
                            }
                        }
                        var s = 0
                        while s < activeSize {
                            let i = index[s]
                            let y: Float = labels[i] == target ? 1 : -1
                            let start = rows.rowStart[i], end = rows.rowStart[i + 1]
                            var dot = wb
                            for k in start..<end { dot += w[Int(cols[k])] * vals[k] }
                            let g = y * dot - 1 + diagonal[i] * alpha[i]
                            var pg: Float = 0
                            if alpha[i] == 0 {
                                if g > pgMaxOld {
                                    activeSize -= 1
                                    index.swapAt(s, activeSize)
                                    continue
                                } else if g < 0 {
                                    pg = g
                                }
                            } else {
                                pg = g
                            }
                            pgMaxNew = max(pgMaxNew, pg)
                            pgMinNew = min(pgMinNew, pg)
                            if abs(pg) > 1e-12 {
                                let old = alpha[i]
                                alpha[i] = max(old - g / qd[i], 0)
                                let d = (alpha[i] - old) * y
                                for k in start..<end { w[Int(cols[k])] += d * vals[k] }
                                wb += d
                            }
                            s += 1
                        }
                        if pgMaxNew - pgMinNew <= configuration.svmTolerance {
                            if activeSize == n { break }
                            activeSize = n
                            pgMaxOld = .infinity
                            continue
                        }
                        pgMaxOld = pgMaxNew <= 0 ? .infinity : pgMaxNew
                    }
                }
            }
        }
        return (w, wb)
    }
}

/// A raw pointer that may cross into `concurrentPerform`; each task writes only its own class's slots.
struct UnsafeMutableSendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
