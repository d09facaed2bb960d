"""Issue 30 §5 against a real `pledge serve`: the organisation's help desk, a Python HTTP service on
127.0.0.1 that Pledge cannot query, declared as an `http` system. It checks every call's signature
(HMAC-SHA256 over timestamp and body, 300-second window), answers access at once, fails once with
503 for one person (Pledge tries again), and answers erasure later: 202 now, then a signed callback
to Pledge, after which the case completes. A replayed callback, a wrong signature, a stale one and
an unknown system are refused, and change nothing.

usage: http_system.py PLEDGE_BINARY

Every check prints PASS or FAIL; the exit status is 1 if any failed.
"""
import hashlib
import hmac
import http.server
import io
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "browser"))
from harness import check, finish, free_port, start_pledge  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
PLEDGE = sys.argv[1]
SECRET = b"helpdesk secret shared with pledge, 32+ bytes"

tickets = {
    "grace@helpdesk.example": [["71", "Printer on fire", "2026-05-01"], ["72", "Refund for the printer", "2026-05-03"]],
    "flaky@helpdesk.example": [["90", "Intermittent fault", "2026-06-01"]],
}
seen = {"calls": [], "bad_signatures": 0, "flaky_failures": 0, "callbacks": []}


def sign(body, timestamp):
    return "v1=" + hmac.new(SECRET, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signed_post(url, body, timestamp=None, signature=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Pledge-Timestamp": str(timestamp),
        "Pledge-Signature": signature or sign(body, timestamp)})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class HelpDesk(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        timestamp = self.headers.get("Pledge-Timestamp", "0")
        fresh = abs(time.time() - int(timestamp)) <= 300
        if not fresh or not hmac.compare_digest(sign(body, timestamp), self.headers.get("Pledge-Signature", "")):
            seen["bad_signatures"] += 1
            return self.answer(401, {})
        call = json.loads(body)
        seen["calls"].append(call)
        email = call["identities"].get("email", "")
        if email.startswith("flaky@") and seen["flaky_failures"] == 0:
            seen["flaky_failures"] += 1
            return self.answer(503, {})
        if call["action"] == "rectification":
            seen["corrections"] = call.get("corrections")
            return self.answer(200, {"status": "done", "done": [f"contacts: 1 row(s) corrected ({len(call.get('corrections') or [])} field(s))"]})
        if call["action"] == "access":
            return self.answer(200, {"status": "done", "tables": [
                {"table": "tickets", "columns": ["id", "subject", "opened"], "rows": tickets.get(email, [])}]})
        # Erasure takes a while here: accepted now, the answer goes to the callback.
        threading.Thread(target=self.erase_later, args=(call,), daemon=True).start()
        return self.answer(202, {"status": "pending"})

    @staticmethod
    def erase_later(call):
        time.sleep(1)
        removed = tickets.pop(call["identities"]["email"], [])
        body = json.dumps({"status": "done", "request_id": call["request_id"], "action": "erasure",
                           "done": [f"tickets: {len(removed)} row(s) deleted"], "kept": []}).encode()
        timestamp = int(time.time())
        seen["callbacks"].append((call["callback"], body, timestamp, sign(body, timestamp), signed_post(call["callback"], body, timestamp)))

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


desk_port = free_port()
desk = http.server.ThreadingHTTPServer(("127.0.0.1", desk_port), HelpDesk)
threading.Thread(target=desk.serve_forever, daemon=True).start()

work = pathlib.Path(tempfile.mkdtemp(prefix="pledge-http-system-"))
key_file = work / "master.key"
key_file.write_text("33" * 32)
common = ["--database", str(work / "pledge.sqlite"), "--master-key-file", str(key_file)]
admin = subprocess.run([PLEDGE, "keys", "create", "--name", "http-system", "--role", "admin", *common],
                       check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
declaration = work / "pledge.yaml"
declaration.write_text((ROOT / "examples/compliant.yaml").read_text() + f"""
systems:
  - id: helpdesk
    name: Help desk
    kind: http
    url: http://127.0.0.1:{desk_port}/pledge
    secret_env: HELPDESK_SECRET
    collections:
      - name: tickets
        fields:
          - name: subject
            categories: [user.contact.email]
""")
os.environ["HELPDESK_SECRET"] = SECRET.decode()
server, URL = start_pledge(PLEDGE, ["--declaration", str(declaration), *common], work)


def api(method, path, body=None, raw=False):
    request = urllib.request.Request(URL + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            data = response.read()
            return response.status, data if raw else json.loads(data or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def open_case(kind, email):
    status, case = api("POST", "/v1/requests", {"kind": kind, "channel": "email", "verifiedBy": "known_contact", "requester": {"email": email}})
    assert status == 201, (status, case)
    return case["id"]


try:
    # --- Access: asked with a signed call, answered at once, in the ZIP under the system and table.
    access = open_case("access", "grace@helpdesk.example")
    status, done = api("POST", f"/v1/requests/{access}/fulfilment")
    check("an access request for someone only in the help desk completes", status == 200 and done.get("state") == "completed", (status, done))
    check("the help desk received a call it could verify, with the person's email and a callback",
          seen["bad_signatures"] == 0 and seen["calls"] and seen["calls"][0]["identities"] == {"email": "grace@helpdesk.example"}
          and seen["calls"][0]["callback"].endswith("/v1/systems/helpdesk/callback"), seen)
    status, zipped = api("GET", f"/v1/requests/{access}/export", raw=True)
    archive = zipfile.ZipFile(io.BytesIO(zipped))
    tickets_csv = archive.read("csv/systems/helpdesk.tickets.csv").decode()
    check("the ZIP holds the help desk's tickets", "Printer on fire" in tickets_csv and "Refund for the printer" in tickets_csv, tickets_csv)

    # --- A 503 is tried again.
    flaky = open_case("access", "flaky@helpdesk.example")
    status, done = api("POST", f"/v1/requests/{flaky}/fulfilment")
    check("a system that fails once with 503 is asked again, and the request completes", status == 200 and seen["flaky_failures"] == 1, (status, done))

    # --- Erasure: 202 now, the case waits naming the system, then the signed callback completes it.
    erasure = open_case("erasure", "grace@helpdesk.example")
    status, waiting = api("POST", f"/v1/requests/{erasure}/fulfilment")
    check("an erasure the help desk takes time over leaves the case waiting, naming it", status == 409 and waiting["error"]["code"] == "system.pending"
          and "helpdesk" in waiting["error"]["message"], waiting)
    status, case = api("GET", f"/v1/requests/{erasure}")
    check("meanwhile the case is in progress and says which system it waits for", case.get("state") == "in_progress"
          and case.get("waitingFor") == ["helpdesk"], case)
    for _ in range(40):
        if seen["callbacks"]:
            break
        time.sleep(0.25)
    check("the help desk's signed callback is accepted and completes the case",
          seen["callbacks"] and seen["callbacks"][0][4] == (200, {"outcome": "completed"}), seen["callbacks"])
    status, case = api("GET", f"/v1/requests/{erasure}")
    check("the case is completed, saying what the help desk did", case.get("state") == "completed"
          and "Help desk: tickets: 2 row(s) deleted" in (case.get("outcome") or ""), case)
    check("the help desk really erased the tickets", "grace@helpdesk.example" not in tickets)

    # --- Rectification: staff's corrections go to the help desk, the case stays open for their answer.
    rectification = open_case("rectification", "grace@helpdesk.example")
    status, changed = api("POST", f"/v1/requests/{rectification}/corrections", {"corrections": [{"category": "user.name", "value": "Grace Hopper"}]})
    check("a rectification's correction is sent to the help desk, which says what it changed",
          status == 200 and changed["systems"] == [{"system": "helpdesk", "name": "Help desk", "done": ["contacts: 1 row(s) corrected (1 field(s))"]}]
          and seen.get("corrections") == [{"category": "user.name", "value": "Grace Hopper"}], (status, changed, seen.get("corrections")))
    status, refused = api("POST", f"/v1/requests/{access}/corrections", {"corrections": [{"category": "user.name", "value": "X"}]})
    check("corrections for a case that is not a rectification in progress are refused", status in (409, 422), (status, refused))
    status, refused = api("POST", f"/v1/requests/{rectification}/corrections", {"corrections": [{"category": "user.shoe_size", "value": "9"}]})
    check("a correction of a category the declaration does not know is refused", status in (400, 422)
          and refused["error"]["code"] == "request.invalid-value", (status, refused))

    # --- What an attacker might send.
    callback, body, timestamp, signature, _ = seen["callbacks"][0]
    status, refused = signed_post(callback, body, timestamp, signature)
    check("the same callback again (a replay) is refused and changes nothing", status == 409 and refused["error"]["code"] == "system.task-not-pending", refused)
    forged = body.replace(b"2 row(s)", b"0 row(s)")
    status, refused = signed_post(callback, forged, timestamp, signature)
    check("a changed body under the old signature is refused", status == 401 and refused["error"]["code"] == "system.signature-invalid", refused)
    old = int(time.time()) - 600
    status, refused = signed_post(callback, body, old)
    check("a correctly signed but stale callback is refused", status == 401 and refused["error"]["code"] == "system.signature-invalid", refused)
    status, refused = signed_post(URL + "/v1/systems/nosuch/callback", body)
    check("a callback for a system that is not declared is refused as a bad signature is, revealing no ids",
          status == 401 and refused["error"]["code"] == "system.signature-invalid", refused)
    status, refused = signed_post(callback, b"not json")
    check("a signed body that is not an answer is refused", status == 422 and refused["error"]["code"] == "system.answer-invalid", refused)
finally:
    server.terminate()
    server.wait(timeout=30)
    desk.shutdown()

finish()
