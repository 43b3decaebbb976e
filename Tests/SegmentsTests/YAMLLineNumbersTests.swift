import Testing

@testable import Segments

/// `YAMLLineNumbers` keeps each segment line's YAML line as its distance from the line before: every value comes back
/// as it was, read in any order, whatever the distances (large, zero, backwards), and a million lines take little room.
@Suite struct YAMLLineNumbersTests {
    @Test func everyValueComesBackInAnyOrder() {
        var values: [Int] = []
        var line = 8
        for position in 0..<1_000 {
            line += [2, 3, 1, 200, 70_000, 0][position % 6]
            values.append(line)
        }
        values += [5, 5, 1 << 40, 0, Int.max, Int.min, 12]
        let numbers = YAMLLineNumbers(values)
        #expect(numbers.count == values.count)
        #expect(Array(numbers) == values)
        for position in values.indices.reversed() { #expect(numbers[position] == values[position], "\(position)") }
        #expect(numbers.last == 12 && numbers.first == 10)
        #expect(numbers == YAMLLineNumbers(values) && numbers != YAMLLineNumbers(values.dropLast()))
        #expect(YAMLLineNumbers().isEmpty && YAMLLineNumbers() == [])
        #expect(Set([numbers, YAMLLineNumbers(values)]).count == 1)
    }

    @Test func aMillionGeneratedLinesTakeAboutOneByteEach() {
        var numbers = YAMLLineNumbers()
        for position in 0..<1_000_000 { numbers.append(8 + 2 * position + position / 3) }
        numbers.shrink()
        #expect(numbers.count == 1_000_000)
        #expect(numbers[999_999] == 8 + 2 * 999_999 + 333_333)
        #expect(numbers[500_001] == 8 + 2 * 500_001 + 500_001 / 3)
        #expect(numbers.storageBytes < 1_600_000)
    }
}
