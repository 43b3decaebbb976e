#!/usr/bin/env python3
"""Starts `mailmerge serve` on a free loopback port over a scratch copy of the sample segments, runs one
check against it, then stops it with SIGTERM and requires a graceful exit.

  live_server.py MAILMERGE ROOT ARTIFACTS schemathesis   # schemathesis over openapi.yaml, bounded
  live_server.py MAILMERGE ROOT ARTIFACTS browser        # Selenium + headless Chromium through the web page
  live_server.py MAILMERGE ROOT ARTIFACTS shutdown TEMPLATES SEGMENT  # log SEGMENT, SIGTERM while the job runs
  live_server.py MAILMERGE ROOT ARTIFACTS relog TEMPLATES SEGMENT     # log SEGMENT again (200 and the job, or 409)
  live_server.py MAILMERGE ROOT ARTIFACTS uploads        # raw_upload.py: refused uploads over plain sockets

ROOT holds SampleSegments/ (a copy) and Templates (the repository's); the database and letters go there.
Exit status 0 when the check passed; the reason is printed otherwise. shutdown and relog print one line
`RESULT {json}` for the test to check the interaction log against.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(mailmerge, root, templates):
    port = free_port()
    log = open(os.path.join(root, "serve.log"), "w")
    server = subprocess.Popen(
        [mailmerge, "serve", "--port", str(port), "--segments", os.path.join(root, "SampleSegments"),
         "--templates", templates, "--db", os.path.join(root, "log.sqlite"), "--out", os.path.join(root, "letters")],
        cwd=root, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"mailmerge serve exited with {server.returncode}: {open(log.name).read()}")
        try:
            urllib.request.urlopen(base + "/v1/segments", timeout=2).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("mailmerge serve did not answer within 60 s")


def stop(server):
    server.send_signal(signal.SIGTERM)
    try:
        status = server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        raise SystemExit("mailmerge serve did not stop within 60 s of SIGTERM")
    if status != 0:
        raise SystemExit(f"mailmerge serve exited with {status} after SIGTERM")


def run_schemathesis(base, root, artifacts):
    spec = os.path.join(root, "openapi.yaml")
    with urllib.request.urlopen(base + "/openapi.yaml") as response, open(spec, "wb") as out:
        out.write(response.read())
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", spec, "--url", base,
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
                    "response_headers_conformance",
        # Every phase (examples, coverage, fuzzing, stateful), each bounded by --max-examples; no --max-time,
        # which would repeat fuzzing and stateful testing until it is spent.
        "--max-examples", "50", "--request-timeout", "60", "--seed", "1",
        "--suppress-health-check", "all", "--report", "junit", "--report-dir", artifacts,
    ]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
    print(result.stdout[-6000:])
    print(result.stderr[-3000:], file=sys.stderr)
    return result.returncode


def call(method, url):
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def follow(base, job, until):
    """Polls the job until `until(job)` holds or it is no longer running; returns the last snapshot."""
    deadline = time.time() + 600
    while job["state"] == "running" and not until(job) and time.time() < deadline:
        time.sleep(0.02)
        _, job = call("GET", f"{base}/v1/jobs/{job['id']}")
    return job


def run_shutdown(server, base, segment):
    """Starts logging the segment, sends SIGTERM as soon as the job has written a letter, and times the exit."""
    status, job = call("POST", f"{base}/v1/segments/{segment}/log")
    if status != 200:
        raise SystemExit(f"POST /v1/segments/{segment}/log answered {status}: {job}")
    job = follow(base, job, lambda job: job["done"] > 0)
    started = time.time()
    server.send_signal(signal.SIGTERM)
    try:
        exit_status = server.wait(timeout=300)
    except subprocess.TimeoutExpired:
        server.kill()
        raise SystemExit("mailmerge serve did not stop within 300 s of SIGTERM")
    print("RESULT " + json.dumps({"jobAtSigterm": job, "exitStatus": exit_status, "secondsToExit": round(time.time() - started, 2)}))
    return 0 if exit_status == 0 else 1


def run_relog(base, segment):
    """Logs the segment again: 409 when it is logged already, else the job, followed to its end."""
    status, body = call("POST", f"{base}/v1/segments/{segment}/log")
    if status == 200:
        body = follow(base, body, lambda job: False)
    print("RESULT " + json.dumps({"status": status, "answer": body}))
    return 0 if status == 409 or (status == 200 and body["state"] == "succeeded") else 1


def run_uploads(base):
    """raw_upload.py against the server (its default body limit, 20 MB); its JSON lines go to stdout."""
    port = base.rsplit(":", 1)[1]
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "raw_upload.py")
    result = subprocess.run([sys.executable, script, port, str(20 * 1024 * 1024)], capture_output=True, text=True, timeout=800)
    print(result.stdout)
    print(result.stderr, file=sys.stderr)
    return result.returncode


def run_browser(base, root, artifacts):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # The preview replaces its images while a line loads: an element found a moment before may be gone (stale); the
    # condition is then asked again, as for one not found yet.
    wait = WebDriverWait(driver, 120, ignored_exceptions=(StaleElementReferenceException,))
    try:
        driver.get(base + "/segments")
        driver.save_screenshot(os.path.join(artifacts, "1-segments.png"))
        driver.find_element(By.LINK_TEXT, "SM00001").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pages img"))
        driver.save_screenshot(os.path.join(artifacts, "2-segment-line1.png"))
        # Step to line 3 with the ▶ button, as in Word's Preview Results.
        for _ in range(2):
            driver.find_element(By.ID, "next-line").click()
        wait.until(lambda d: any("Anouk de Vries" in (img.get_attribute("alt") or "") for img in d.find_elements(By.CSS_SELECTOR, "#pages img")))
        wait.until(lambda d: d.execute_script("const i = document.querySelector('#pages img'); return i && i.complete && i.naturalWidth > 0"))
        alt = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#pages img").get_attribute("alt"))
        print("line 3 preview alt text:", alt)
        driver.save_screenshot(os.path.join(artifacts, "3-segment-line3.png"))
        # Log the segment and watch the progress bar reach 25/25.
        driver.find_element(By.ID, "log-segment").click()
        wait.until(lambda d: "25/25" in d.find_element(By.ID, "log-status").text)
        assert driver.find_element(By.ID, "log-progress").get_attribute("value") == "25"
        print("log status:", driver.find_element(By.ID, "log-status").text)
        driver.save_screenshot(os.path.join(artifacts, "4-segment-logged.png"))
        # The 25 entries on the log page; cancel one.
        driver.get(base + "/log?segment=SM00001")
        rows = driver.find_elements(By.CSS_SELECTOR, "#entries tbody tr")
        assert len(rows) == 25, f"{len(rows)} rows on the log page"
        driver.save_screenshot(os.path.join(artifacts, "5-log.png"))
        first = rows[0]
        entry = first.get_attribute("data-entry")
        first.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
        driver.find_element(By.ID, "cancel-entries").click()
        wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f"tr[data-entry='{entry}'] td.status").text == "canceled")
        driver.save_screenshot(os.path.join(artifacts, "6-log-canceled.png"))
        canceled = json.load(urllib.request.urlopen(base + "/v1/log?status=canceled"))
        assert canceled["total"] == 1 and canceled["entries"][0]["entryNo"] == int(entry), canceled
        driver.get(base + "/logged-segments")
        driver.save_screenshot(os.path.join(artifacts, "7-logged-segments.png"))
        # A phone.
        driver.set_window_size(390, 844)
        driver.get(base + "/segments/SM00001")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pages img"))
        driver.save_screenshot(os.path.join(artifacts, "8-segment-phone.png"))
        print("browser check passed")
        return 0
    finally:
        driver.quit()


def main():
    mailmerge, root, artifacts, check = sys.argv[1:5]
    templates = sys.argv[5] if len(sys.argv) > 5 else os.path.join(os.path.dirname(__file__), "../../../Templates")
    os.makedirs(artifacts, exist_ok=True)
    segment = sys.argv[6] if len(sys.argv) > 6 else "SM00001"
    server, base = start(mailmerge, root, os.path.abspath(templates))
    try:
        if check == "schemathesis":
            status = run_schemathesis(base, root, artifacts)
        elif check == "shutdown":
            status = run_shutdown(server, base, segment)
        elif check == "relog":
            status = run_relog(base, segment)
        elif check == "uploads":
            status = run_uploads(base)
        else:
            status = run_browser(base, root, artifacts)
    finally:
        stop(server)
    print(open(os.path.join(root, "serve.log")).read()[-2000:])
    sys.exit(status)


if __name__ == "__main__":
    main()
