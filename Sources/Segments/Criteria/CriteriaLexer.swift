import Comparison

/// One token of a criteria expression, with the 1-based column it starts at.
struct CriteriaToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A bare word: a field name, a value or a keyword (AND, OR, NOT).
        case word(String)
        /// A value in single or double quotes (quotes removed, a doubled quote is one quote).
        case quoted(String)
        /// `=`, `<>`, `<`, `>`, `<=` or `>=`.
        case comparison(ComparisonOperator)
        /// `..` in a range.
        case rangeDots
        case openParenthesis
        case closeParenthesis
        case end
    }

    var kind: Kind
    var column: Int

    /// How the token reads in messages.
    var display: String {
        switch kind {
        case .word(let text): return "'\(text)'"
        case .quoted(let text): return "'\(text)' (quoted)"
        case .comparison(let op): return "'\(op.rawValue)'"
        case .rangeDots: return "'..'"
        case .openParenthesis: return "'('"
        case .closeParenthesis: return "')'"
        case .end: return "the end of the criteria"
        }
    }

    /// The keyword this token spells (AND, OR, NOT, in any case), if any.
    var keyword: String? {
        guard case .word(let text) = kind else { return nil }
        let upper = text.uppercased()
        return ["AND", "OR", "NOT"].contains(upper) ? upper : nil
    }
}

/// Splits a criteria expression into tokens.
enum CriteriaLexer {
    /// The tokens of `text`, ending with `.end`.
    static func tokens(_ text: String) throws(CriteriaSyntaxError) -> [CriteriaToken] {
        let characters = Array(text)
        var tokens: [CriteriaToken] = []
        var index = 0
        func peek(_ offset: Int = 0) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }
        while index < characters.count {
            let character = characters[index]
            let column = index + 1
            if character.isWhitespace {
                index += 1
                continue
            }
            switch character {
            case "(":
                tokens.append(CriteriaToken(kind: .openParenthesis, column: column))
                index += 1
            case ")":
                tokens.append(CriteriaToken(kind: .closeParenthesis, column: column))
                index += 1
            case "=":
                tokens.append(CriteriaToken(kind: .comparison(.equal), column: column))
                index += 1
            case "<":
                switch peek(1) {
                case ">":
                    tokens.append(CriteriaToken(kind: .comparison(.notEqual), column: column))
                    index += 2
                case "=":
                    tokens.append(CriteriaToken(kind: .comparison(.lessOrEqual), column: column))
                    index += 2
                default:
                    tokens.append(CriteriaToken(kind: .comparison(.less), column: column))
                    index += 1
                }
            case ">":
                if peek(1) == "=" {
                    tokens.append(CriteriaToken(kind: .comparison(.greaterOrEqual), column: column))
                    index += 2
                } else {
                    tokens.append(CriteriaToken(kind: .comparison(.greater), column: column))
                    index += 1
                }
            case "." where peek(1) == ".":
                tokens.append(CriteriaToken(kind: .rangeDots, column: column))
                index += 2
            case "'", "\"":
                var value = ""
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == character {
                        if peek(1) == character {
                            value.append(character)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    value.append(characters[index])
                    index += 1
                }
                guard closed else {
                    throw CriteriaSyntaxError(
                        expression: text, column: column,
                        message: "this quote is never closed; add a closing \(character)")
                }
                tokens.append(CriteriaToken(kind: .quoted(value), column: column))
            default:
                var word = ""
                while let next = peek(), !next.isWhitespace, !"()=<>'\"".contains(next),
                    !(next == "." && peek(1) == ".")
                {
                    word.append(next)
                    index += 1
                }
                tokens.append(CriteriaToken(kind: .word(word), column: column))
            }
        }
        tokens.append(CriteriaToken(kind: .end, column: characters.count + 1))
        return tokens
    }
}
