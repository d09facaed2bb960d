#!/usr/bin/env python3
"""Security suite (issue 24): each attack the outside review reproduced, run against a real
`pledge serve` on 127.0.0.1, which must now refuse it. The audit-trail truncation (finding 7) is
checked on both backends by durability.py.

usage: security.py PLEDGE_BINARY
"""
import http.client, json, os, signal, socket, sqlite3, stat, subprocess, sys, tempfile, time, urllib.parse

pledge = os.path.abspath(sys.argv[1])
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
work = tempfile.mkdtemp(prefix="pledge-security-")
env = {k: v for k, v in os.environ.items() if k != "PLEDGE_MASTER_KEY"}
env["XDG_CONFIG_HOME"] = os.path.join(work, "config")
data = os.path.join(work, "pledge-data")
database = os.path.join(data, "pledge.sqlite")
port = 19000 + os.getpid() % 1000
results = {"passed": 0, "failed": 0}

def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok else ': ' + str(detail)}")

def cli(*args):
    result = subprocess.run([pledge, *args, "--database", database], capture_output=True, text=True, env=env, cwd=work)
    return result

def key(name, role):
    result = cli("keys", "create", "--name", name, "--role", role)
    if result.returncode != 0:
        sys.exit(f"FAIL: keys create: {result.stderr}")
    return result.stdout.strip().splitlines()[-1]

def request(method, path, body=None, headers=None, token=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(headers or {})
    if token: headers["Authorization"] = f"Bearer {token}"
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode(); headers.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        body = body.encode()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), payload

def form(fields):
    return urllib.parse.urlencode(fields)

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS")).split()[1])

# Keys first: the first command makes the master key under XDG_CONFIG_HOME.
admin, support, processor, analyst = key("admin", "admin"), key("support", "support"), key("hosting", "processor:hosting"), key("analyst", "analyst")
master = os.path.join(env["XDG_CONFIG_HOME"], "pledge", "master.key")
check("finding 8: the master key file is made 0600 in a 0700 folder",
      stat.S_IMODE(os.stat(master).st_mode) == 0o600 and stat.S_IMODE(os.stat(os.path.dirname(master)).st_mode) == 0o700,
      oct(os.stat(master).st_mode))

server = subprocess.Popen([pledge, "serve", "--declaration", os.path.join(root, "examples", "compliant.yaml"), "--database", database,
                           "--port", str(port), "--idle-timeout", "2", "--log-level", "warning"],
                          stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"), env=env, cwd=work)
try:
    for _ in range(200):
        try:
            if request("GET", "/healthz")[0] == 200: break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit("FAIL: the server did not start: " + open(os.path.join(work, "serve.log")).read())

    modes = {path: stat.S_IMODE(os.stat(path).st_mode) for path in [data, database]}
    check("finding 8: the data folder is 0700 and the database 0600", modes == {data: 0o700, database: 0o600}, {k: oct(v) for k, v in modes.items()})

    # Finding 1: the reflected XSS, a quote carrying a combining mark, in the re-rendered form.
    payload = "\"\u0301 autofocus onfocus=alert(1) x=\""
    status, _, body = request("POST", "/privacy-centre/requests", form({"kind": "access", "email": "nobody", "name": payload}),
                              {"Content-Type": "application/x-www-form-urlencoded"})
    html = body.decode()
    check("finding 1: the hostile name is escaped byte by byte in the re-rendered form",
          status == 422 and "\"\u0301 autofocus" not in html and "&quot;\u0301 autofocus" in html, status)

    # Finding 2: a 64 MiB body of a type the contract does not list, unauthenticated.
    before = rss_kib(server.pid)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"POST /privacy-centre/requests HTTP/1.1\r\nHost: x\r\nContent-Type: */*\r\nContent-Length: {64 << 20}\r\n\r\n".encode())
    chunk = b"a" * (1 << 20)
    try:
        for _ in range(64): sock.sendall(chunk)
    except OSError:
        pass  # the server answered and closed without reading it all
    sock.settimeout(10)
    try:
        answer = sock.recv(200).decode(errors="replace")
    except OSError:
        answer = ""
    sock.close()
    grown = rss_kib(server.pid) - before
    check("finding 2: a */* body is refused with 415 and not held in memory", answer.startswith("HTTP/1.1 415") and grown < 40 * 1024,
          f"{answer[:40]!r}, grew {grown} KiB")
    status, _, _ = request("POST", "/privacy-centre/requests", "a" * (3 << 20), {"Content-Type": "application/x-www-form-urlencoded"})
    check("finding 2: a listed type over the cap is 413", status == 413, status)

    # Findings 3 and 4: call notes, and erasure through the flags.
    _, _, created = request("POST", "/v1/subjects", {"identifiers": {"email": "sec@example.com"}, "categories": ["customer"]}, token=support)
    subject = json.loads(created)["id"]
    request("POST", f"/v1/subjects/{subject}/interactions", {"kind": "call", "content": "Private call note"}, token=support)
    refused = [request("GET", f"/v1/subjects/{subject}/interactions", token=t)[0] for t in (processor, analyst)]
    check("finding 3: a processor's and an analyst's key cannot read call notes", refused == [403, 403], refused)
    status = request("POST", f"/v1/subjects/{subject}/flags", {"child": True}, token=support)[0]
    still = request("GET", f"/v1/subjects/{subject}", token=support)[0]
    check("finding 4: a support key cannot erase through child: true", status == 403 and still == 200, (status, still))

    # Finding 5: one address, then one client.
    post = lambda email: request("POST", "/privacy-centre/requests", form({"kind": "access", "email": email}),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    same = [post("victim@example.com")[0] for _ in range(4)]
    check("finding 5: three emails an hour to one address, then 429", same == [200, 200, 200, 429], same)
    distinct = [post(f"person{n}@example.com")[0] for n in range(8)]
    check("finding 5: ten requests an hour from one client, then 429", distinct == [200] * 7 + [429], distinct)
    status, _, queue = request("GET", "/v1/requests?limit=2", token=admin)
    queue = json.loads(queue)
    check("finding 5: one case per address, and the queue is paginated", queue.get("total") == 8 and queue.get("nextOffset") == 2, queue.get("total"))
    # The address is checked before the limits, so this is 422 even after the client's limit is reached.
    check("finding 8: an address with a comma is refused", post("a,b@example.org")[0] == 422)

    # Finding 6: half-sent requests are closed after the idle timeout (2 s here).
    sockets = []
    for _ in range(50):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /privacy HTTP/1.1\r\nHost: x\r\n")
        sockets.append(s)
    time.sleep(4)
    closed = 0
    for s in sockets:
        s.settimeout(2)
        try:
            answer = s.recv(100)
            if answer == b"" or answer.startswith(b"HTTP/1.1 408"): closed += 1
        except socket.timeout:
            pass  # still open: the server is still waiting for the rest
        except OSError:
            closed += 1  # reset by the server
        s.close()
    check("finding 6: 50 half-sent requests are all closed after the idle timeout", closed == 50, closed)

    # Finding 8: headers, readiness, console sessions.
    status, headers, _ = request("GET", "/privacy")
    csp = headers.get("Content-Security-Policy", "")
    check("finding 8: pages carry a CSP without script or framing, nosniff and no-referrer",
          "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and headers.get("X-Content-Type-Options") == "nosniff"
          and headers.get("Referrer-Policy") == "no-referrer", headers)
    check("finding 8: personal data is never cached", request("GET", f"/v1/subjects/{subject}", token=support)[1].get("Cache-Control") == "no-store")
    status, _, ready = request("GET", "/readyz")
    check("finding 8: /readyz names the kind of database, not its path", json.loads(ready).get("database") == "sqlite" and b"pledge-data" not in ready, ready)
    status, headers, _ = request("POST", "/admin/sign-in", form({"key": admin}), {"Content-Type": "application/x-www-form-urlencoded"})
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    check("finding 8: the console cookie is a session, not the key", status == 303 and cookie.startswith("pledge_admin=") and admin not in cookie, cookie)
    before = request("GET", "/admin/requests", headers={"Cookie": cookie})[0]
    request("POST", "/admin/sign-out", headers={"Cookie": cookie})
    after = request("GET", "/admin/requests", headers={"Cookie": cookie})[0]
    check("finding 8: signing out ends the session on the server", (before, after) == (200, 401), (before, after))
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)

# Finding 7 on this store too: the newest entries deleted are found against the anchor.
anchor = json.load(open(database + ".audit-anchor"))
connection = sqlite3.connect(database)
connection.execute("DELETE FROM audit_entries WHERE seq >= ?", (anchor["sequence"] - 2,))
connection.commit()
connection.close()
verify = cli("audit", "verify")
check("finding 7: deleting the newest audit entries is found", verify.returncode == 1 and "deleted from the end" in verify.stdout, verify.stdout)

print(f"security: {results['passed']} passed, {results['failed']} failed")
sys.exit(1 if results["failed"] else 0)
