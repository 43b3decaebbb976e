import CLibXML2
import WordXML

/// The DOM edits the combiner makes on libxml2 nodes.
extension UnsafeMutablePointer where Pointee == xmlNode {
    /// Sets the attribute `name` in `namespace` (nil: no namespace), which must be declared
    /// in scope or, for a node not yet in the tree, on the root element.
    func setAttribute(_ name: String, namespace: String? = WordNamespace.main, _ value: String) {
        if let namespace {
            let declaration =
                xmlSearchNsByHref(pointee.doc, self, namespace)
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
    func newWordElement(_ name: String) -> XMLNodePointer? {
        let declaration =
            xmlSearchNsByHref(pointee.doc, self, WordNamespace.main)
            ?? xmlSearchNsByHref(pointee.doc, xmlDocGetRootElement(pointee.doc), WordNamespace.main)
        return xmlNewDocNode(pointee.doc, declaration, name, nil)
    }
}
