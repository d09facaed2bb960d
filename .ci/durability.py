#!/usr/bin/env python3
"""Kill -9 durability test (issue 3): under a concurrent consent-write load the server is killed
with SIGKILL; after a restart every acknowledged consent event must be present, and
`pledge audit verify` must pass. Then the newest audit rows are deleted and `pledge audit verify`
must fail against the anchor file (issue 24 finding 7); then one audit row is altered in the
database and `pledge audit verify` must fail naming that entry.

usage: durability.py PLEDGE_BINARY DATABASE (a SQLite path or a postgres:// URL)
"""
import json, os, signal, sqlite3, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error

pledge, database = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="pledge-durability-")
key_file = os.path.join(work, "master.key")
anchor_file = os.path.join(work, "audit-anchor")
port = 18000 + os.getpid() % 1000
base = f"http://127.0.0.1:{port}"
declaration = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "compliant.yaml")

def run(*args, check=True):
    result = subprocess.run([pledge, *args, "--database", database, "--master-key-file", key_file, "--audit-anchor", anchor_file],
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"FAIL: pledge {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result

def start():
    server = subprocess.Popen([pledge, "serve", "--declaration", declaration, "--database", database, "--master-key-file", key_file,
                               "--audit-anchor", anchor_file, "--port", str(port), "--log-level", "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=1)
            return server
        except Exception:
            time.sleep(0.1)
    server.kill()
    sys.exit("FAIL: the server did not become ready")

def call(method, path, token, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read() or b"{}")

subprocess.run([pledge, "vault", "new-key"], stdout=open(key_file, "w"), check=True)
if database.startswith("postgres"):
    # A clean schema whatever tables exist (the test database is owned by the pledge role).
    subprocess.run(["psql", database, "-qc", "SET client_min_messages TO warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public"], check=True)
token = run("keys", "create", "--name", f"load-{os.getpid()}", "--role", "support").stdout.strip()

server = start()
_, subject = call("POST", "/v1/subjects", token, {"identifiers": {"email": f"durable-{os.getpid()}@example.com"}, "categories": ["customer"]})
subject_id = subject["id"]

acknowledged, lock, stop = set(), threading.Lock(), threading.Event()
def writer(number):
    count = 0
    while not stop.is_set():
        wording = f"writer {number} event {count}"
        try:
            status, body = call("POST", f"/v1/subjects/{subject_id}/consents", token,
                                {"purpose": "newsletter", "action": "granted" if count % 2 == 0 else "withdrawn",
                                 "mechanism": "opt_in_checkbox", "wording": wording})
            if status == 201:
                with lock:
                    acknowledged.add(body["wordingSha256"])
        except Exception:
            pass  # refused or cut off by the kill: not acknowledged, so not promised
        count += 1

threads = [threading.Thread(target=writer, args=(n,)) for n in range(32)]
for thread in threads: thread.start()
time.sleep(3)
server.send_signal(signal.SIGKILL)
server.wait()
time.sleep(0.3)
stop.set()
for thread in threads: thread.join()
print(f"killed with SIGKILL after {len(acknowledged)} acknowledged consent writes")
if len(acknowledged) < 100:
    sys.exit("FAIL: too few writes were acknowledged to prove anything")

server = start()
_, ledger = call("GET", f"/v1/subjects/{subject_id}/consents", token)
stored = {event["wordingSha256"] for event in ledger["events"]}
missing = acknowledged - stored
server.send_signal(signal.SIGTERM)
server.wait(timeout=30)
if missing:
    sys.exit(f"FAIL: {len(missing)} acknowledged consent events are missing after the restart")
print(f"after restart: all {len(acknowledged)} acknowledged events present ({len(stored)} stored)")

verify = run("audit", "verify")
print(verify.stdout.strip())
if "intact" not in verify.stdout:
    sys.exit("FAIL: the audit chain does not verify after the kill")

def sql(statement):
    if database.startswith("postgres"):
        subprocess.run(["psql", database, "-qc", statement], check=True)
    else:
        connection = sqlite3.connect(database)
        connection.execute(statement)
        connection.commit()
        connection.close()

# Delete the newest entries, back to the one the anchor saw, as someone hiding their last actions might.
anchored = json.load(open(anchor_file))["sequence"]
if oct(os.stat(anchor_file).st_mode & 0o777) != "0o600":
    sys.exit(f"FAIL: the anchor file is not private: {oct(os.stat(anchor_file).st_mode & 0o777)}")
sql(f"CREATE TABLE audit_tail AS SELECT * FROM audit_entries WHERE seq >= {anchored - 2}")
sql(f"DELETE FROM audit_entries WHERE seq >= {anchored - 2}")
truncated = run("audit", "verify", check=False)
print(truncated.stdout.strip())
if truncated.returncode != 1 or "deleted from the end" not in truncated.stdout:
    sys.exit(f"FAIL: deleting the newest entries was not reported (exit {truncated.returncode})")
sql("INSERT INTO audit_entries SELECT * FROM audit_tail")
sql("DROP TABLE audit_tail")
restored = run("audit", "verify")
if "intact" not in restored.stdout:
    sys.exit("FAIL: the restored trail does not verify")

# Tamper with one row, as someone with database access might.
if database.startswith("postgres"):
    subprocess.run(["psql", database, "-qc", "UPDATE audit_entries SET actor = 'key:forger' WHERE seq = 7"], check=True)
else:
    connection = sqlite3.connect(database)
    connection.execute("UPDATE audit_entries SET actor = 'key:forger' WHERE seq = 7")
    connection.commit()
    connection.close()
tampered = run("audit", "verify", check=False)
print(tampered.stdout.strip())
if tampered.returncode != 1 or "entry 7 was altered" not in tampered.stdout:
    sys.exit(f"FAIL: tampering was not reported (exit {tampered.returncode})")
print("PASS")
