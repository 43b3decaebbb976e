-- wrk script: POST /v1/merge with a multipart body (template + one-record CSV) read from MERGE_BODY.
local f = assert(io.open(os.getenv("MERGE_BODY"), "rb"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("MERGE_BOUNDARY")

function done(summary, latency, requests)
  io.write(string.format("non-2xx-or-errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
