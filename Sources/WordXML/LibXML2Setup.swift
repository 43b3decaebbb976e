import CLibXML2

/// The libxml2 settings every reader of Word package XML shares.
public enum LibXML2Setup {
    /// Parser options for untrusted Word XML: no network access and no error or warning
    /// printed to standard error. Entity substitution and DTD loading stay off (libxml2's
    /// defaults), so entity bombs and external entities are inert.
    public static let safeParseOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue)

    /// Runs libxml2's one-time global set-up; call before any thread parses. Cheap after the first call.
    public static func initialize() { _ = initialized }

    private static let initialized: Void = xmlInitParser()
}
