import CLibXML2
import Foundation
import Testing
import WordXML

/// `XMLEventReader` refuses what `XMLPart` refuses with the same failures, calls its events in document order, and a
/// parser context kept from an earlier read (finished or failed, on any thread) leaves the next read as it would be.
@Suite struct XMLEventReaderTests {
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"

    static func utf16(_ xml: String) -> [UInt8] {
        [0xFF, 0xFE] + xml.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    }

    static let parts: [[UInt8]] = [
        Array("\(declaration)<a xmlns=\"urn:a\"><b>text &amp; more</b><x:c xmlns:x=\"urn:x\"/></a>".utf8),
        Array("<?xml version=\"1.0\"?>\n<a><b></a>".utf8),
        [],
        Array("  \r\n ".utf8),
        Array("<?xml version=\"1.0\"?>".utf8),
        Array("<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY e \"x\">]><w:document/>".utf8),
        utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>"),
        utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?><r>ü</r>"),
        Array("<a>&e;</a>".utf8),
        Array((String(repeating: "<b>", count: 300) + String(repeating: "</b>", count: 300)).utf8),
        Array("<a/><b/>".utf8),
        Array("<a>text</a> trailing".utf8),
        [0x3C, 0x61, 0x3E, 0xFF, 0xFE, 0x3C, 0x2F, 0x61, 0x3E],
        Array("<x:a><b/></x:a>".utf8),
        Array("<a><!-- comment --><?pi data?><![CDATA[<c>]]></a>".utf8),
    ]

    /// The events of `bytes` as a trace (`<name namespace>`, `</name>`, `[text]`), or the failure.
    static func read(_ bytes: [UInt8]) -> Result<String, XMLPart.ParseFailure> {
        var trace = ""
        let events = XMLEventReader.Events(
            startElement: { context, name, _, namespace, _, _, _, _, _ in
                let trace = XMLEventReader.reader(context).assumingMemoryBound(to: String.self)
                trace.pointee += "<" + String(cString: name!) + (namespace.map { " " + String(cString: $0) } ?? "") + ">"
            },
            endElement: { context, name, _, _ in
                XMLEventReader.reader(context).assumingMemoryBound(to: String.self).pointee += "</" + String(cString: name!) + ">"
            },
            text: { context, bytes, count in
                let text = String(decoding: UnsafeBufferPointer(start: bytes, count: Int(count)), as: UTF8.self)
                XMLEventReader.reader(context).assumingMemoryBound(to: String.self).pointee += "[" + text + "]"
            })
        let result = withUnsafeMutablePointer(to: &trace) { trace in
            Result { () throws(XMLPart.ParseFailure) in try XMLEventReader.read(bytes, events: events, reader: trace) }
        }
        return result.map { trace }
    }

    @Test(arguments: parts)
    func failsAsXMLPart(_ bytes: [UInt8]) {
        var expected: XMLPart.ParseFailure?
        do throws(XMLPart.ParseFailure) { _ = try XMLPart(bytes: bytes) } catch { expected = error }
        switch Self.read(bytes) {
        case .success: #expect(expected == nil, "XMLPart refuses it: \(expected?.message ?? "")")
        case .failure(let failure):
            #expect(failure.kind == expected?.kind)
            #expect(failure.message == expected?.message)
        }
    }

    @Test func eventsInDocumentOrder() throws {
        let xml = "<a xmlns=\"urn:a\" xmlns:x=\"urn:x\"><x:b>1 &lt; 2</x:b><c/><![CDATA[<d>]]>&#x263A;</a>"
        let trace = try Self.read(Array(xml.utf8)).get()
        #expect(trace.replacingOccurrences(of: "][", with: "") == "<a urn:a><b urn:x>[1 < 2]</b><c urn:a></c>[<d>☺]</a>")
    }

    /// Reads on several threads at once, well-formed and failing ones mixed, give what one read alone gives.
    @Test func contextsKeptBetweenReads() {
        let alone = Self.parts.map { Self.read($0) }
        let rounds = 8
        let mismatches = MismatchCount()
        DispatchQueue.concurrentPerform(iterations: rounds) { round in
            for offset in 0..<Self.parts.count * 3 {
                let index = (offset + round) % Self.parts.count
                let again = Self.read(Self.parts[index])
                let same: Bool
                switch (again, alone[index]) {
                case (.success(let a), .success(let b)): same = a == b
                case (.failure(let a), .failure(let b)): same = a.kind == b.kind && a.message == b.message
                default: same = false
                }
                if !same { mismatches.add() }
            }
        }
        #expect(mismatches.count == 0)
    }

    private final class MismatchCount: @unchecked Sendable {
        private let lock = DispatchSemaphore(value: 1)
        private var value = 0
        var count: Int {
            lock.wait()
            defer { lock.signal() }
            return value
        }
        func add() {
            lock.wait()
            value += 1
            lock.signal()
        }
    }
}
