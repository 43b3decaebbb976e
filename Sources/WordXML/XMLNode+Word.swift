import CLibXML2

/// Read-only helpers on libxml2 nodes of WordprocessingML parts.
extension UnsafeMutablePointer where Pointee == xmlNode {
    /// Whether this node is an element.
    public var isElement: Bool { pointee.type == XML_ELEMENT_NODE }

    /// Local name of an element (empty for other nodes).
    public var localName: String {
        guard isElement, let name = pointee.name else { return "" }
        return String(cString: name)
    }

    /// Namespace URI of an element, if any.
    public var namespaceURI: String? {
        guard let href = pointee.ns?.pointee.href else { return nil }
        return String(cString: href)
    }

    /// Whether this is the WordprocessingML element `w:<name>`.
    public func isWord(_ name: String) -> Bool {
        isElement && localName == name && namespaceURI == WordNamespace.main
    }

    /// The value of the attribute `name` in `namespace` (nil: no namespace).
    public func attribute(_ name: String, namespace: String? = WordNamespace.main) -> String? {
        var attribute = pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name, String(cString: attributeName) == name,
                current.pointee.ns?.pointee.href.map({ String(cString: $0) }) == namespace
            {
                return Self.text(of: current.pointee.children)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// The value of the WordprocessingML attribute `w:<name>`.
    public func wordAttribute(_ name: String) -> String? { attribute(name, namespace: WordNamespace.main) }

    /// The concatenated text of this element's text and CDATA children.
    public var textContent: String { Self.text(of: pointee.children) }

    /// Child elements, in order.
    public var elementChildren: [XMLNodePointer] {
        var result: [XMLNodePointer] = []
        var child = pointee.children
        while let current = child {
            if current.isElement { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    /// Every descendant element (not this one), in document order.
    public var descendants: [XMLNodePointer] {
        var result: [XMLNodePointer] = []
        var stack = elementChildren.reversed() as [XMLNodePointer]
        while let node = stack.popLast() {
            result.append(node)
            stack += node.elementChildren.reversed()
        }
        return result
    }

    /// The first child element `w:<name>`.
    public func firstWordChild(_ name: String) -> XMLNodePointer? {
        var child = pointee.children
        while let current = child {
            if current.isWord(name) { return current }
            child = current.pointee.next
        }
        return nil
    }

    /// The concatenated text of every descendant `w:<name>` element (iterative walk).
    public func descendantText(_ name: String) -> String {
        var result = ""
        var node = pointee.children
        while let current = node {
            if current.isWord(name) {
                result += current.textContent
            } else if let child = current.pointee.children, current.isElement {
                node = child
                continue
            }
            var up = current
            while up.pointee.next == nil {
                guard let parent = up.pointee.parent, parent != self else { return result }
                up = parent
            }
            node = up.pointee.next
        }
        return result
    }

    /// The nearest ancestor `w:<name>`, if any.
    public func wordAncestor(_ name: String) -> XMLNodePointer? {
        var node = pointee.parent
        while let current = node, current.pointee.type == XML_ELEMENT_NODE {
            if current.isWord(name) { return current }
            node = current.pointee.parent
        }
        return nil
    }

    /// The text of `first` and its following text and CDATA siblings, concatenated.
    private static func text(of first: XMLNodePointer?) -> String {
        var result = ""
        var node = first
        while let current = node {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
                let content = current.pointee.content
            {
                result += String(cString: content)
            }
            node = current.pointee.next
        }
        return result
    }
}
