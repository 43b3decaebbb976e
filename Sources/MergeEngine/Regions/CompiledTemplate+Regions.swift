extension CompiledTemplate {
    /// The child tables the template's repeating regions show, lowercased, in order of first use.
    public var regionTables: [String] {
        var seen = Set<String>()
        var tables: [String] = []
        func visit(_ holes: [Hole]) {
            for hole in holes {
                guard case .region(let region) = hole.value else { continue }
                if seen.insert(region.table).inserted { tables.append(region.table) }
                visit(region.body.holes)
            }
        }
        for part in parts { visit(part.holes) }
        return tables
    }
}
