import ExternalProcess
import Foundation

/// A long-lived LibreOffice per print-run worker (issue 14): started once, listening on a UNO
/// connection (a named pipe), and driven by a small Python program through Debian's
/// `python3-uno` that loads each chunk document and exports it as PDF, so a chunk does not pay
/// for a LibreOffice start (about a third of its CPU, `bench/pdf-engines`).
///
/// The driver (Python, with LibreOffice as its child) runs as an `ExternalProcess.Session`: its
/// own process group, standard error kept in a file, every conversion bounded by the same time
/// a one-shot `soffice` call gets. A conversion that fails, a LibreOffice that crashes or hangs
/// stops the whole group; the chunk is retried once with a fresh LibreOffice and profile.
final class ResidentLibreOffice: @unchecked Sendable {
    let soffice: String
    let python: String
    let driver: String
    let profile: String
    private var session: ExternalProcess.Session?
    private var ready = false
    private var starts = 0
    /// A warm-up conversion sent at `start(warmingUpWith:)` whose answer is still to be read.
    private var warmUp: String?

    /// For `MAILMERGE_PDF_TRACE`.
    let worker: Int

    /// `driver` is the path `writeDriver(into:)` returned; `profile` a folder of this worker's own.
    init(soffice: String, python: String, driver: String, profile: String, worker: Int = 0) {
        self.soffice = soffice
        self.python = python
        self.driver = driver
        self.profile = profile
        self.worker = worker
    }

    deinit { stop() }

    /// Converts `document` to `pdf`; when that fails, LibreOffice is stopped and started again
    /// with a fresh profile and the document converted once more (a crash can leave the profile damaged).
    /// - Returns: the failure message when the second try failed too, else nil.
    func convertRetrying(_ document: String, to pdf: String, timeout: Double) -> String? {
        guard let first = convert(document, to: pdf, timeout: timeout) else { return nil }
        discard()
        guard let second = convert(document, to: pdf, timeout: timeout) else { return nil }
        return first == second ? second + " (twice)" : "first try: \(first); second try: \(second)"
    }

    /// Starts LibreOffice now, without waiting for it, so that its start overlaps other work (the merge of the
    /// letters); with `document` (a .docx, e.g. the attachment the letters are merged from) it then converts that
    /// once to a scratch PDF, so the first chunk does not pay for loading the Word import, the PDF export and the
    /// fonts either. Its answer is read before the first conversion; a failure there is reported by that conversion.
    func start(warmingUpWith document: String?) {
        guard session == nil, let started = try? running() else { return }
        guard let document else { return }
        let target = profile + "-warm-up.pdf"
        if (try? started.submit(document + "\t" + target)) != nil { warmUp = target }
    }

    /// Lets LibreOffice end while the run goes on: the driver's input ends, it kills LibreOffice (every conversion is
    /// done; a graceful close took 0.5–2 s at the end of every run, `MAILMERGE_PDF_TRACE`) and reaps it, so that its
    /// CPU time is counted in ours (`bench/pdf-run`'s cpu; an orphaned one would not be). `stop()` waits for that.
    func finish() {
        session?.closeInput()
    }

    /// Stops LibreOffice (it exits on its own once the driver's input ends; its group is killed after 30 s).
    func stop() {
        session?.stop()
        session = nil
    }

    /// Stops LibreOffice at once and removes its profile.
    private func discard() {
        session?.stop(grace: 0)
        session = nil
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// One conversion (starting LibreOffice first when none runs); the failure message, if it failed.
    private func convert(_ document: String, to pdf: String, timeout: Double) -> String? {
        try? FileManager.default.removeItem(atPath: pdf)
        let started = Date()
        do throws(ExternalProcessError) {
            let session = try running()
            if !ready {
                let line = try session.readLine(timeout: timeout)
                guard line == "ready" else {
                    discard()
                    return "LibreOffice did not start: " + Self.answer(line)
                }
                ready = true
            }
            if let target = warmUp {
                // The warm-up's answer: an error there (a template LibreOffice cannot open) is no failure of the letters.
                warmUp = nil
                _ = try session.readLine(timeout: max(1, timeout - Date().timeIntervalSince(started)))
                try? FileManager.default.removeItem(atPath: target)
            }
            let remaining = max(1, timeout - Date().timeIntervalSince(started))
            let answer = try session.request(document + "\t" + pdf, timeout: remaining)
            guard answer == "ok" else {
                discard()
                return "LibreOffice did not convert \(document): " + Self.answer(answer)
            }
        } catch {
            let tail = session.map { Self.filtered($0.stderrTail()) } ?? ""
            discard()
            switch error {
            case .timedOut:
                return PDFConverter.hungMessage([document], seconds: timeout)
            case .failed(_, let status, _):
                return "LibreOffice ended (exit status \(status)) before converting \(document)" + (tail.isEmpty ? "" : ": " + tail)
            default:
                return "LibreOffice: \(error)"
            }
        }
        guard FileManager.default.fileExists(atPath: pdf) else { return "LibreOffice reported \(document) converted but wrote no PDF" }
        return nil
    }

    /// The running driver, started when there is none.
    private func running() throws(ExternalProcessError) -> ExternalProcess.Session {
        if let session { return session }
        do {
            try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        } catch {
            throw .cannotStart(program: "soffice", reason: "cannot create a LibreOffice profile folder \(profile) (\(error.localizedDescription))")
        }
        starts += 1
        let pipe = "mailmerge-\(getpid())-\(UUID().uuidString)"
        // LibreOffice's temporary files go beside its profile (removed with the run's scratch folder), as it is stopped without closing.
        let temporary = profile + "-tmp"
        try? FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let started = try PDFTrace.span(worker, "start LibreOffice") { () throws(ExternalProcessError) in
            try ExternalProcess.Session(
                python, ["-I", driver, soffice, URL(fileURLWithPath: profile).absoluteString, pipe],
                stderrPath: profile + "-stderr-\(starts).txt", environment: ["TMPDIR": temporary])
        }
        session = started
        ready = false
        warmUp = nil
        return started
    }

    private static func answer(_ line: String) -> String {
        line.hasPrefix("error ") ? String(line.dropFirst(6)) : line.isEmpty ? "no answer" : line
    }

    /// Standard error without LibreOffice's harmless Java warning.
    private static func filtered(_ tail: String) -> String {
        tail.components(separatedBy: " | ").filter { !$0.contains("javaldx") }.joined(separator: " | ")
    }

    /// The Python interpreter that can `import uno` (Debian's `python3-uno`): `MAILMERGE_UNO_PYTHON`,
    /// else `/usr/bin/python3`, else `python3` on the PATH; nil when none can.
    static let unoPython: String? = {
        var candidates = ["/usr/bin/python3", "python3"]
        if let chosen = ExternalProcess.environmentValue("MAILMERGE_UNO_PYTHON") { candidates = [chosen] }
        for candidate in candidates {
            if let output = try? ExternalProcess.run(candidate, ["-I", "-c", "import uno"], timeout: 60), output.status == 0 { return candidate }
        }
        return nil
    }()

    /// Writes the driver program into `folder` and returns its path.
    static func writeDriver(into folder: String) throws(MailMergeError) -> String {
        let path = folder + "/mailmerge-uno-driver.py"
        do { try Data(driverSource.utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw .io(path: path, message: "cannot write the LibreOffice driver (\(error.localizedDescription))")
        }
        return path
    }

    /// The driver: starts LibreOffice (arguments: soffice, profile URL, pipe name), connects to it,
    /// prints `ready`; then for each input line `SOURCE<TAB>TARGET` exports SOURCE as PDF to TARGET
    /// (bookmarks as named destinations, as `PDFConverter` does) and prints `ok` or `error MESSAGE`.
    /// At the end of its input it kills LibreOffice (nothing of it is kept: its profile is the run's scratch) and reaps it.
    static let driverSource = #"""
        import os, signal, subprocess, sys, threading, time
        import uno
        from com.sun.star.beans import PropertyValue
        from com.sun.star.connection import NoConnectException

        def prop(name, value):
            p = PropertyValue()
            p.Name, p.Value = name, value
            return p

        def exited(office):
            code = office.returncode
            return "was killed by signal %d" % -code if code < 0 else "exited with status %d" % code

        soffice, profile, pipe = sys.argv[1:4]
        caller = os.getppid()
        office = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo", "--norestore",
             "-env:UserInstallation=" + profile, "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
            stdin=subprocess.DEVNULL, stdout=sys.stderr)

        def descendants(pid):
            found = []
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open("/proc/%s/stat" % entry) as stat:
                            parent = int(stat.read().rsplit(")", 1)[1].split()[1])
                    except (OSError, ValueError, IndexError):
                        continue
                    if parent == pid:
                        found += descendants(int(entry)) + [int(entry)]
            return found

        # LibreOffice is killed, not closed (a graceful close wrote a profile that is removed anyway and took 0.5-2 s at
        # the end of every run), soffice.bin first so that oosplash reaps it and its CPU time is counted in ours.
        def end_office():
            for child in descendants(office.pid):
                try:
                    os.kill(child, signal.SIGKILL)
                except OSError:
                    pass
            try:
                office.wait(timeout=20)
            except subprocess.TimeoutExpired:
                office.kill()
                office.wait()

        # The caller killed (SIGKILL: it cannot stop us), this driver's input may never end: LibreOffice is ended here.
        def watch_caller():
            while os.getppid() == caller:
                time.sleep(0.5)
            end_office()
            os._exit(1)

        threading.Thread(target=watch_caller, daemon=True).start()
        # However the driver ends (its input ends, the caller's pipe is gone, an error), LibreOffice ends with it.
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
            while True:
                try:
                    context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                    break
                except NoConnectException:
                    if office.poll() is not None:
                        print("error LibreOffice %s while starting" % exited(office), flush=True)
                        sys.exit(1)
                    time.sleep(0.05)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            bookmarks = uno.Any("[]com.sun.star.beans.PropertyValue", (prop("ExportBookmarksToPDFDestination", True),))
            export = (prop("FilterName", "writer_pdf_Export"), prop("FilterData", bookmarks))
            print("ready", flush=True)
            for line in sys.stdin:
                # Relative paths (`--out letters`) are the caller's, whose working directory this driver shares.
                source, target = (os.path.abspath(path) for path in line.rstrip("\n").split("\t"))
                try:
                    # Read-only: LibreOffice writes no lock file (`.~lock.NAME#`) beside the template or letter it converts.
                    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True), prop("ReadOnly", True)))
                    if document is None:
                        raise RuntimeError("LibreOffice could not open it")
                    try:
                        document.storeToURL(uno.systemPathToFileUrl(target), export)
                    finally:
                        document.close(True)
                    print("ok", flush=True)
                except Exception as error:
                    state = "; LibreOffice " + exited(office) if office.poll() is not None else ""
                    print("error %s%s" % (" ".join(str(error).split()) or type(error).__name__, state), flush=True)
                    if state:
                        sys.exit(1)
        finally:
            end_office()

        """#
}
