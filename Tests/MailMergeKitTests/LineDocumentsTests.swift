import Foundation
import Testing

@testable import MailMergeKit

/// `LineDocuments` keeps the path and digest text of the letters in hand as the writers gave them, so that a line's
/// letter name is made once: what it gives must be what making the name again (`letterPath`) and turning the stored
/// digest into hex give, before and after the kept texts are forgotten.
@Suite struct LineDocumentsTests {
    static let digests = [
        "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9",
        "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
        "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35",
        "4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce",
    ]

    /// The name `letterPath` makes for line `index`, as a run makes it from the line.
    static func made(_ index: Int) -> String { "/out/SEG/\(String(format: "%04d", index + 1))-CG\(index)-Ørsted.docx" }

    /// Line `index`'s path and digest as the run's `LineDocuments` gives them, with the kept texts (`path` given) or
    /// without (made again).
    static func documents(keeping: Bool, count: Int = 4) -> LineDocuments {
        var documents = LineDocuments { made($0) }
        for index in 0..<count {
            documents.setLetter(index, path: keeping ? made(index) : nil, sha256: digests[index])
        }
        return documents
    }

    @Test func keptPathsAndDigestsAreThoseMadeAgain() {
        let kept = Self.documents(keeping: true)
        let madeAgain = Self.documents(keeping: false)
        for index in 0..<4 {
            #expect(kept.path(index) == Self.made(index))
            #expect(kept.path(index) == madeAgain.path(index))
            #expect(kept.sha256(index) == Self.digests[index])
            #expect(kept.sha256(index) == madeAgain.sha256(index))
        }
    }

    @Test func aKeptPathIsNotMadeAgain() {
        var calls = 0
        var documents = LineDocuments { index in
            calls += 1
            return Self.made(index)
        }
        documents.setLetter(0, path: "/written/where/the/writers/were/told.docx", sha256: Self.digests[0])
        #expect(documents.path(0) == "/written/where/the/writers/were/told.docx")
        #expect(calls == 0)
    }

    @Test func forgottenPathsAndDigestsAreMadeAgainAlike() {
        var documents = Self.documents(keeping: true)
        documents.forgetPaths(before: 2)
        for index in 0..<4 {
            #expect(documents.path(index) == Self.made(index))
            #expect(documents.sha256(index) == Self.digests[index])
        }
        // Dropping lines forgets their kept texts; the lines after keep theirs.
        documents.drop(before: 3)
        #expect(documents.path(3) == Self.made(3))
        #expect(documents.sha256(3) == Self.digests[3])
    }

    @Test func linesWithoutALetterStillHaveNone() {
        var documents = LineDocuments { Self.made($0) }
        documents.setLetter(2, path: Self.made(2), sha256: Self.digests[2])
        #expect(documents.path(1) == nil && documents.sha256(1) == nil && !documents.has(1))
        #expect(documents.path(2) == Self.made(2) && documents.isLetter(2))
        #expect(documents.path(7) == nil)
    }
}
