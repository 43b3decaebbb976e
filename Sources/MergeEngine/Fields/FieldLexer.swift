/// One lexical token of a field instruction.
struct FieldToken: Equatable {
    enum Kind: Equatable {
        /// A run of characters and nested fields without whitespace, quotes or backslashes.
        case word
        /// Text between quotes, escapes (`\"`, `\\`) resolved.
        case quoted
        /// A switch such as `\*`, `\b`, `\@`: the character after the backslash.
        case switchFlag(Character)
    }

    var kind: Kind
    /// The token's text (empty for switches).
    var text: FieldText
}

/// The tokens of an instruction and the first lexical problem, if any.
///
/// Lexing never fails outright: callers that do not interpret the whole instruction (fields
/// left for Word, such as `DATE`) only need the keyword and must not reject odd quoting.
struct LexedInstruction {
    var tokens: [FieldToken]
    var problem: FieldSyntaxError?
}

/// Splits field instructions into words, quoted texts and switches (ECMA-376 Part 1 §17.16.1).
///
/// - Whitespace (including non-breaking spaces) separates tokens.
/// - `"` opens a text that ends at the next `"`. Word sometimes writes smart quotes: `“` or `”`
///   opens a text that ends at the next `“` or `”`, so straight-quoted text may contain them.
/// - Inside quotes `\"` (or `\“`, `\”`) is a quote and `\\` a backslash; any other backslash is kept.
/// - Outside quotes a backslash and the next character form a switch.
/// - A nested field belongs to the word or quoted text it touches.
///
/// Runs in one pass over the input (linear time).
struct FieldLexer {
    private enum State {
        case between
        case word
        case quoted(closers: Set<Unicode.Scalar>, escaping: Bool)
        case afterBackslash
    }

    private static let straightQuote: Unicode.Scalar = "\""
    private static let smartQuotes: Set<Unicode.Scalar> = ["\u{201C}", "\u{201D}"]

    private var tokens: [FieldToken] = []
    private var problem: FieldSyntaxError?
    private var state = State.between
    private var current = FieldTextBuilder()

    static func lex(_ input: [InstructionToken]) -> LexedInstruction {
        var lexer = FieldLexer()
        for token in input {
            switch token {
            case .text(let text):
                for scalar in text.unicodeScalars { lexer.consume(scalar) }
            case .nested(let index):
                lexer.consumeNested(index)
            }
        }
        lexer.finish()
        return LexedInstruction(tokens: lexer.tokens, problem: lexer.problem)
    }

    private mutating func consume(_ c: Unicode.Scalar) {
        switch state {
        case .between:
            startToken(with: c)
        case .word:
            if c.properties.isWhitespace || c == "\\" || Self.opensQuote(c) {
                emit(.word)
                startToken(with: c)
            } else {
                current.append(c)
            }
        case .quoted(let closers, let escaping):
            if escaping {
                if c == "\\" || c == Self.straightQuote || Self.smartQuotes.contains(c) {
                    current.append(c)
                } else {
                    current.append("\\")
                    current.append(c)
                }
                state = .quoted(closers: closers, escaping: false)
            } else if c == "\\" {
                state = .quoted(closers: closers, escaping: true)
            } else if closers.contains(c) {
                emit(.quoted)
                state = .between
            } else {
                current.append(c)
            }
        case .afterBackslash:
            if c.properties.isWhitespace {
                report("a backslash must be followed by a switch letter, e.g. \\* Upper")
                state = .between
                startToken(with: c)
            } else {
                emit(.switchFlag(Character(c)))
                state = .between
            }
        }
    }

    private mutating func consumeNested(_ index: Int) {
        switch state {
        case .between:
            beginToken()
            current.appendNested(index)
            state = .word
        case .word:
            current.appendNested(index)
        case .quoted(let closers, let escaping):
            if escaping { current.append("\\") }
            current.appendNested(index)
            state = .quoted(closers: closers, escaping: false)
        case .afterBackslash:
            report("a backslash must be followed by a switch letter, not by a nested field")
            beginToken()
            current.appendNested(index)
            state = .word
        }
    }

    /// Handles `c` when no token is open.
    private mutating func startToken(with c: Unicode.Scalar) {
        if c.properties.isWhitespace {
            state = .between
        } else if c == "\\" {
            beginToken()
            state = .afterBackslash
        } else if c == Self.straightQuote {
            beginToken()
            state = .quoted(closers: [Self.straightQuote], escaping: false)
        } else if Self.smartQuotes.contains(c) {
            beginToken()
            state = .quoted(closers: Self.smartQuotes, escaping: false)
        } else {
            beginToken()
            current.append(c)
            state = .word
        }
    }

    private mutating func beginToken() {
        current = FieldTextBuilder()
    }

    private mutating func emit(_ kind: FieldToken.Kind) {
        tokens.append(FieldToken(kind: kind, text: current.build()))
        current = FieldTextBuilder()
    }

    private mutating func finish() {
        switch state {
        case .between:
            break
        case .word:
            emit(.word)
        case .quoted(_, let escaping):
            if escaping { current.append("\\") }
            let start = current.build().displayText
            report("quoted text \"\(start.prefix(40))\" is never closed; add the closing quote")
            emit(.quoted)
        case .afterBackslash:
            report("the instruction ends with a lone backslash; remove it or add a switch letter")
        }
        state = .between
    }

    private mutating func report(_ message: String) {
        if problem == nil { problem = FieldSyntaxError(message) }
    }

    private static func opensQuote(_ c: Unicode.Scalar) -> Bool {
        c == straightQuote || smartQuotes.contains(c)
    }
}

/// Accumulates literal characters and nested-field markers into a `FieldText`.
struct FieldTextBuilder {
    private var pieces: [FieldText.Piece] = []
    private var literal = String.UnicodeScalarView()

    mutating func append(_ scalar: Unicode.Scalar) { literal.append(scalar) }

    mutating func append(_ text: FieldText) {
        for piece in text.pieces {
            switch piece {
            case .literal(let s): literal.append(contentsOf: s.unicodeScalars)
            case .nested(let i): appendNested(i)
            }
        }
    }

    mutating func appendNested(_ index: Int) {
        flushLiteral()
        pieces.append(.nested(index))
    }

    var isEmpty: Bool { pieces.isEmpty && literal.isEmpty }

    func build() -> FieldText {
        var copy = self
        copy.flushLiteral()
        return FieldText(copy.pieces)
    }

    private mutating func flushLiteral() {
        if !literal.isEmpty {
            pieces.append(.literal(String(literal)))
            literal = String.UnicodeScalarView()
        }
    }
}

extension FieldText {
    /// The text when it contains no nested field, else `nil`.
    var plainText: String? {
        var out = ""
        for piece in pieces {
            guard case .literal(let s) = piece else { return nil }
            out += s
        }
        return out
    }

    /// The text for messages, nested fields shown as `{ … }`.
    var displayText: String {
        pieces.map { piece in
            switch piece {
            case .literal(let s): s
            case .nested: "{ … }"
            }
        }.joined()
    }
}
