/// Word's wildcards: `*` stands for any run of characters, `?` for one character.
public enum Wildcard {
    /// Whether the whole of `text` matches `pattern` (case-sensitive; lowercase both sides to
    /// ignore case). Greedy, with one backtrack point: the last `*`.
    public static func matches(_ text: String, pattern: String) -> Bool {
        guard pattern.contains(where: { $0 == "*" || $0 == "?" }) else { return text == pattern }
        let t = Array(text)
        let p = Array(pattern)
        var ti = 0
        var pi = 0
        var starP = -1
        var starT = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || (p[pi] != "*" && p[pi] == t[ti])) {
                ti += 1
                pi += 1
            } else if pi < p.count && p[pi] == "*" {
                starP = pi
                starT = ti
                pi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
