extension Array {
    /// Frees the room kept for more elements: the elements copied into a buffer of their exact count. (`Array(self)`
    /// does not: it shares this array's buffer, room and all.)
    mutating func removeSpareCapacity() {
        guard capacity > count else { return }
        self = withUnsafeBufferPointer { Array($0) }
    }
}
