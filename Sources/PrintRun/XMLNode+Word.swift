import CLibXML2

/// Namespaces the combiner reads and writes.
enum Namespace {
    static let word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let drawing = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    static let word2010 = "http://schemas.microsoft.com/office/word/2010/wordml"
}

/// DOM helpers on libxml2 nodes.
extension UnsafeMutablePointer where Pointee == xmlNode {
    var isElement: Bool { pointee.type == XML_ELEMENT_NODE }

    var localName: String {
        guard let name = pointee.name else { return "" }
        return String(cString: name)
    }

    var namespaceURI: String? { pointee.ns?.pointee.href.map { String(cString: $0) } }

    /// Whether this is the WordprocessingML element `w:<name>`.
    func isWord(_ name: String) -> Bool { isElement && localName == name && namespaceURI == Namespace.word }

    /// Child elements, in order.
    var elementChildren: [XMLNode] {
        var result: [XMLNode] = []
        var child = pointee.children
        while let current = child {
            if current.isElement { result.append(current) }
            child = current.pointee.next
        }
        return result
    }

    /// Every descendant element (not this one), in document order.
    var descendants: [XMLNode] {
        var result: [XMLNode] = []
        var stack = elementChildren.reversed() as [XMLNode]
        while let node = stack.popLast() {
            result.append(node)
            stack += node.elementChildren.reversed()
        }
        return result
    }

    /// The first child element `w:<name>`.
    func firstWordChild(_ name: String) -> XMLNode? { elementChildren.first { $0.isWord(name) } }

    /// The attribute `name` in namespace `namespace` (nil: no namespace).
    func attribute(_ name: String, namespace: String? = Namespace.word) -> String? {
        var attribute = pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name, String(cString: attributeName) == name,
               current.pointee.ns?.pointee.href.map({ String(cString: $0) }) == namespace {
                return Self.text(of: current.pointee.children)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// Sets the attribute `name` in `namespace` (nil: no namespace), which must be declared
    /// in scope or, for a node not yet in the tree, on the root element.
    func setAttribute(_ name: String, namespace: String? = Namespace.word, _ value: String) {
        if let namespace {
            let declaration = xmlSearchNsByHref(pointee.doc, self, namespace)
                ?? xmlSearchNsByHref(pointee.doc, xmlDocGetRootElement(pointee.doc), namespace)
            xmlSetNsProp(self, declaration, name, value)
        } else {
            xmlSetProp(self, name, value)
        }
    }

    /// Removes the attribute `name` in `namespace`, if present.
    func removeAttribute(_ name: String, namespace: String) {
        if let attribute = xmlHasNsProp(self, name, namespace) { xmlRemoveProp(attribute) }
    }

    /// A new element `w:<name>` in this node's document, not yet in the tree.
    func newWordElement(_ name: String) -> XMLNode? {
        let declaration = xmlSearchNsByHref(pointee.doc, self, Namespace.word)
            ?? xmlSearchNsByHref(pointee.doc, xmlDocGetRootElement(pointee.doc), Namespace.word)
        return xmlNewDocNode(pointee.doc, declaration, name, nil)
    }

    /// The concatenated text of this element's text children.
    var textContent: String { Self.text(of: pointee.children) }

    /// Replaces this element's content by the text `text`.
    func setText(_ text: String) {
        xmlNodeSetContent(self, nil)
        xmlNodeAddContent(self, text)
    }

    /// The text of `first` and its following text and CDATA siblings, concatenated.
    private static func text(of first: UnsafeMutablePointer<xmlNode>?) -> String {
        var result = ""
        var node = first
        while let current = node {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
               let content = current.pointee.content {
                result += String(cString: content)
            }
            node = current.pointee.next
        }
        return result
    }
}
