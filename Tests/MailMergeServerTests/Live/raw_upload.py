#!/usr/bin/env python3
"""Sends uploads the server must refuse over plain sockets, as the simplest HTTP clients do: the whole body
first, only then the answer is read. Prints one JSON line per upload: the status, the JSON error code,
whether the answer arrived complete (all Content-Length bytes) and the exception if the connection failed
(a reset, a broken pipe, a timeout).

  raw_upload.py PORT MAX_BODY_BYTES
"""
import json
import socket
import sys

BOUNDARY = "raw-upload-boundary"


def multipart(size):
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="template"; filename="t.docx"\r\n\r\n'.encode()
    return head + b"x" * size + f"\r\n--{BOUNDARY}--\r\n".encode()


def send(port, path, headers, body, chunked):
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        head += "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {len(body)}\r\n"
        connection.sendall((head + "\r\n").encode())
        if chunked:
            for start in range(0, len(body), 65536):
                chunk = body[start:start + 65536]
                connection.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            connection.sendall(b"0\r\n\r\n")
        else:
            connection.sendall(body)
        data = b""
        while True:
            part = connection.recv(65536)
            if not part:
                break
            data += part
            head, separator, rest = data.partition(b"\r\n\r\n")
            lengths = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
            if separator and lengths and len(rest) >= int(lengths[0].split(b":")[1]):
                break
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    lengths = [line for line in lines if line.lower().startswith(b"content-length:")]
    complete = bool(lengths) and len(rest) == int(lengths[0].split(b":")[1])
    answer = json.loads(rest) if complete else {}
    return {"status": int(lines[0].split()[1]), "error": answer.get("error"), "detail": answer.get("detail"), "complete": complete}


def main():
    port, limit = int(sys.argv[1]), int(sys.argv[2])
    form = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    text = {"Content-Type": "text/plain"}
    cases = []
    for size in [10, 200_000, limit // 2]:
        cases.append((f"format=bogus {size}", "/v1/merge?format=bogus", form, multipart(size), False))
        cases.append((f"text/plain {size}", "/v1/merge", text, b"y" * size, False))
    for size in [10, 200_000, 600_000]:
        cases.append((f"no boundary in the body {size}", "/v1/merge", form, b"z" * size, False))
        cases.append((f"not a docx {size}", "/v1/merge", form, multipart(size), False))
        cases.append((f"not a docx, chunked {size}", "/v1/merge", form, multipart(size), True))
    for size in [limit + 1, limit + 5_000_000, 2 * limit + 9_000_000]:
        cases.append((f"over the limit {size}", "/v1/merge", form, multipart(size), False))
        cases.append((f"over the limit, chunked {size}", "/v1/merge", form, multipart(size), True))
    for name, path, headers, body, chunked in cases:
        for close in [False, True]:
            sent = dict(headers, Connection="close") if close else headers
            label = name + (", Connection: close" if close else "")
            try:
                result = send(port, path, sent, body, chunked)
            except Exception as error:  # a reset, a broken pipe, a timeout: what the test is about
                result = {"exception": repr(error)}
            print(json.dumps(dict(result, case=label)), flush=True)


if __name__ == "__main__":
    main()
