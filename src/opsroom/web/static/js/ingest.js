/* The ingest form: POST one pasted article (JSON) or files (multipart) with the token,
   then poll the job until it is done. */
"use strict";

(function () {
  const { el, clear, api, showError } = window.opsroom;
  const form = document.getElementById("ingest-form");
  const TOKEN_KEY = "opsroom.token";
  // Poll every second: a pasted article takes a second or two, a big upload minutes.
  const POLL_MS = 1000;

  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) form.elements.token.value = saved;

  function body() {
    const files = document.getElementById("files").files;
    if (files.length) {
      const data = new FormData();
      for (const f of files) data.append("files", f, f.name);
      return { body: data, headers: {} };
    }
    const text = form.elements.text.value;
    if (!text.trim()) throw new Error("Paste an article's text or choose files.");
    const payload = { text };
    for (const name of ["title", "published", "source", "url"]) {
      const v = form.elements[name].value.trim();
      if (v) payload[name] = v;
    }
    return { body: JSON.stringify(payload), headers: { "Content-Type": "application/json" } };
  }

  function showJob(job) {
    document.getElementById("job-state").textContent = job.state;
    const done = (job.new || 0) + (job.known || 0) + (job.duplicates || 0) + (job.failed || 0);
    const bar = document.getElementById("job-progress");
    const total = job.total || job.read || 0;
    if (job.state === "done" || job.state === "failed") { bar.max = 1; bar.value = 1; }
    else if (total) { bar.max = total; bar.value = done; }
    else bar.removeAttribute("value");
    document.getElementById("job-counts").textContent =
      `read ${job.read || 0} · new ${job.new || 0} · already stored ${job.known || 0} · ` +
      `duplicates ${job.duplicates || 0} · failed ${job.failed || 0}` +
      (job.total ? ` · of ${job.total}` : "");
    const failures = clear(document.getElementById("job-failures"));
    for (const f of job.failures || []) {
      failures.append(el("li", { text: typeof f === "string" ? f : Object.values(f).join(": ") }));
    }
    if (job.error) failures.append(el("li", { text: job.error }));
    document.getElementById("job-done").hidden = job.state !== "done";
    document.getElementById("job").dataset.state = job.state;
  }

  async function poll(jobId, token) {
    const headers = { Authorization: `Bearer ${token}` };
    for (;;) {
      const job = await api(`/jobs/${encodeURIComponent(jobId)}`, null, { headers });
      showJob(job);
      if (job.state === "done" || job.state === "failed") return job;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showError("");
    const token = form.elements.token.value.trim();
    const button = form.querySelector("button[type=submit]");
    try {
      const req = body();
      sessionStorage.setItem(TOKEN_KEY, token);
      button.disabled = true;
      const resp = await api("/ingest", null, {
        method: "POST", body: req.body,
        headers: Object.assign({ Authorization: `Bearer ${token}` }, req.headers),
      });
      document.getElementById("job").hidden = false;
      document.getElementById("job-id").textContent = resp.job_id;
      showJob({ state: "queued" });
      await poll(resp.job_id, token);
    } catch (err) {
      showError(err.status === 401 ? "The token was refused (401)." : err.message);
    } finally {
      button.disabled = false;
    }
  });
  document.body.dataset.ready = "1";
})();
