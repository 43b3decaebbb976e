// mailmerge serve: the little JavaScript of the web page (no build step, no cookies).
"use strict";
(function () {
  const tokenInput = document.getElementById("token");
  if (tokenInput) {
    tokenInput.value = sessionStorage.getItem("mailmerge-token") || "";
    tokenInput.addEventListener("change", () => sessionStorage.setItem("mailmerge-token", tokenInput.value));
  }
  function headers(extra) {
    const h = Object.assign({}, extra || {});
    const token = sessionStorage.getItem("mailmerge-token");
    if (token) h["Authorization"] = "Bearer " + token;
    return h;
  }
  async function problem(response) {
    try { const body = await response.json(); return body.detail || response.statusText; } catch (e) { return response.statusText; }
  }

  // Segment page: preview results (◀ ▶ through the lines) and the log button.
  const preview = document.getElementById("preview");
  if (preview) {
    const segment = preview.dataset.segment;
    const rows = Array.from(document.querySelectorAll("#lines tbody tr"));
    const pages = document.getElementById("pages");
    const status = document.getElementById("line-status");
    let index = 0;
    const base = (line) => "/v1/segments/" + encodeURIComponent(segment) + "/lines/" + line + "/preview";
    async function show(i) {
      if (rows.length === 0) return;
      index = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach((r, k) => r.classList.toggle("selected", k === index));
      const row = rows[index];
      const line = row.dataset.line;
      const name = row.dataset.name;
      status.textContent = "Line " + line + " (" + (index + 1) + " of " + rows.length + "): " + name + " — loading…";
      document.getElementById("download-pdf").href = base(line) + "?format=pdf";
      document.getElementById("download-docx").href = base(line) + "?format=docx";
      const first = await fetch(base(line) + "?format=png&page=1", { headers: headers() });
      if (!first.ok) { status.textContent = "Line " + line + ": " + (await problem(first)); pages.replaceChildren(); return; }
      if (rows[index] !== row) return;
      const count = parseInt(first.headers.get("X-Page-Count") || "1", 10);
      const images = [];
      for (let page = 1; page <= count; page++) {
        const img = document.createElement("img");
        img.src = page === 1 ? URL.createObjectURL(await first.blob()) : base(line) + "?format=png&page=" + page;
        img.alt = "Letter to " + name + " (line " + line + "), page " + page + " of " + count;
        images.push(img);
      }
      pages.replaceChildren(...images);
      status.textContent = "Line " + line + " (" + (index + 1) + " of " + rows.length + "): " + name;
    }
    document.getElementById("prev-line").addEventListener("click", () => show(index - 1));
    document.getElementById("next-line").addEventListener("click", () => show(index + 1));
    document.querySelectorAll("[data-select]").forEach((b) => b.addEventListener("click", () => {
      show(rows.findIndex((r) => r.dataset.line === b.dataset.select));
    }));
    show(0);

    const logButton = document.getElementById("log-segment");
    const progress = document.getElementById("log-progress");
    const logStatus = document.getElementById("log-status");
    logButton.addEventListener("click", async () => {
      logButton.disabled = true;
      logStatus.textContent = "starting…";
      const response = await fetch("/v1/segments/" + encodeURIComponent(segment) + "/log", { method: "POST", headers: headers() });
      if (!response.ok) { logStatus.textContent = await problem(response); logButton.disabled = false; return; }
      const job = await response.json();
      const events = new EventSource("/v1/jobs/" + job.id + "/events");
      const update = (e) => {
        const j = JSON.parse(e.data);
        if (j.total) { progress.max = j.total; }
        progress.value = j.done;
        logStatus.textContent = j.done + "/" + (j.total || progress.max);
        return j;
      };
      events.addEventListener("progress", update);
      events.addEventListener("result", (e) => {
        const j = update(e);
        events.close();
        if (j.state === "succeeded") {
          logStatus.textContent = j.done + "/" + j.total + " logged (logged segment " + j.loggedSegmentEntryNo + ")";
          const link = document.createElement("a");
          link.href = "/log?segment=" + encodeURIComponent(segment);
          link.textContent = " Open its interaction log entries";
          logStatus.after(link);
        } else {
          logStatus.textContent = "failed: " + j.error;
          logButton.disabled = false;
        }
      });
      events.onerror = () => { events.close(); };
    });
  }

  // Interaction log page: cancel or restore the selected entries.
  async function changeSelected(action) {
    const entries = Array.from(document.querySelectorAll("#entries input[name=entry]:checked")).map((c) => parseInt(c.value, 10));
    const out = document.getElementById("log-action-status");
    if (entries.length === 0) { out.textContent = "select entries first"; return; }
    const response = await fetch("/v1/log/" + action, {
      method: "POST", headers: headers({ "Content-Type": "application/json" }), body: JSON.stringify({ entries: entries }),
    });
    if (!response.ok) { out.textContent = await problem(response); return; }
    const body = await response.json();
    for (const entry of body.entries) {
      const cell = document.querySelector("tr[data-entry='" + entry.entryNo + "'] td.status");
      if (cell) cell.textContent = entry.status;
    }
    out.textContent = (action === "cancel" ? "canceled " : "restored ") + body.entries.length + " entr" + (body.entries.length === 1 ? "y" : "ies");
  }
  const cancelButton = document.getElementById("cancel-entries");
  if (cancelButton) {
    cancelButton.addEventListener("click", () => changeSelected("cancel"));
    document.getElementById("restore-entries").addEventListener("click", () => changeSelected("restore"));
  }
})();
