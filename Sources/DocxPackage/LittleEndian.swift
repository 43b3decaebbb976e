/// Little-endian integers in file bytes (zip and compound file headers); the caller checks bounds.
extension UnsafeRawBufferPointer {
    func uint16LE(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func uint32LE(at offset: Int) -> UInt32 {
        UInt32(uint16LE(at: offset)) | UInt32(uint16LE(at: offset + 2)) << 16
    }

    func uint64LE(at offset: Int) -> UInt64 {
        UInt64(uint32LE(at: offset)) | UInt64(uint32LE(at: offset + 4)) << 32
    }
}
