#!/usr/bin/env python3
"""Campaign send rate (issue 28, target: 2,000 messages a second rendered, DKIM-signed and delivered to
a local relay), printed beside the relay's own ceiling measured in the same run, so the figure is
Pledge's and not the relay's. Printed, never asserted.

usage: bench/campaign_send.py PLEDGE_BINARY [MESSAGES] [rsa|ed25519]   (needs aiosmtpd; a release build:
       swift build -c release --product pledge && bench/campaign_send.py .build/release/pledge 5000)
       PLEDGE_BENCH_PERF=perf.data records the server with `perf record -g` while it sends.

The relay is aiosmtpd in this process, counting messages and discarding them. Its ceiling: a second
process sends the same number of messages of the same size to it with smtplib, as many connections in
parallel as Pledge opens (SMTPClient.connections), several messages per connection, as Pledge does. Then a real `pledge serve` with a DKIM key
and `--campaign-rate` far above the target sends one campaign to MESSAGES consenting people (made
through the API beforehand, not timed), and the time from `POST /v1/campaigns/{id}/send` to the last
message at the relay is Pledge's rate.
"""
import json, os, resource, signal, subprocess, sys, tempfile, threading, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from aiosmtpd.controller import Controller

pledge = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
dkim_type = sys.argv[3] if len(sys.argv) > 3 else "rsa"
root = Path(__file__).resolve().parent.parent
work = Path(tempfile.mkdtemp(prefix="pledge-send-bench-"))


class Counter:
    def __init__(self):
        self.count, self.size, self.lock = 0, 0, threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            self.size = len(envelope.content)
        return "250 OK"


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


box, smtp_port = Counter(), free_port()
connections = 8  # SMTPClient.connections
relay = Controller(box, hostname="127.0.0.1", port=smtp_port)
relay.start()


def cpu_seconds(pid):
    """User and system CPU time of process `pid` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait(target, timeout=600):
    start = time.monotonic()
    while box.count < target and time.monotonic() - start < timeout:
        time.sleep(0.01)
    return time.monotonic()


# 1. The relay's ceiling, from another process (its own interpreter, so it does not share the relay's lock).
blaster = f"""
import smtplib, sys, threading
body = ("From: news@northwind.example\\r\\nTo: x@example.com\\r\\nSubject: ceiling\\r\\n\\r\\n" + ("x" * 74 + "\\r\\n") * 70).encode()
def run(n):
    client = smtplib.SMTP("127.0.0.1", {smtp_port})
    for i in range(n):
        if i and i % 100 == 0:
            client.quit(); client = smtplib.SMTP("127.0.0.1", {smtp_port})
        client.sendmail("news@northwind.example", ["x@example.com"], body)
    client.quit()
threads = [threading.Thread(target=run, args=({count} // {connections},)) for _ in range({connections})]
[t.start() for t in threads]; [t.join() for t in threads]
"""
base = box.count
start = time.monotonic()
subprocess.run([sys.executable, "-c", blaster], check=True)
end = wait(base + count // connections * connections)
ceiling = (box.count - base) / (end - start)

# 2. Pledge.
key_file, dkim_key, database = work / "master.key", work / "dkim.key", work / "bench.sqlite"
subprocess.run([pledge, "vault", "new-key"], stdout=open(key_file, "w"), check=True)
subprocess.run([pledge, "smtp", "dkim-key", "--out", str(dkim_key), "--type", dkim_type, "--selector", "news", "--domain", "northwind.example"],
               capture_output=True, check=True)
common = ["--database", str(database), "--master-key-file", str(key_file)]
keys = {role: subprocess.run([pledge, "keys", "create", "--name", f"{role}-key", "--role", role, *common], capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1] for role in ["support", "marketing"]}
port = free_port()
url = f"http://127.0.0.1:{port}"
server = subprocess.Popen([pledge, "serve", "--declaration", str(root / "examples" / "compliant.yaml"), *common,
                           "--smtp-url", f"smtp://127.0.0.1:{smtp_port}", "--smtp-from", "news@northwind.example",
                           "--dkim-key-file", str(dkim_key), "--dkim-selector", "news", "--campaign-rate", "20000",
                           "--public-url", url, "--port", str(port), "--log-level", "error"], stdout=open(work / "serve.log", "w"),
                          stderr=subprocess.STDOUT)
try:
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/readyz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)

    def call(method, path, role, body=None):
        request = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"Bearer {keys[role]}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"{}")

    def person(i):
        address = f"p{i}@example.com"
        subject = call("POST", "/v1/subjects", "support", {"identifiers": {"email": address}, "categories": ["customer"]})["id"]
        call("POST", f"/v1/subjects/{subject}/consents", "support",
             {"purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Send me the newsletter"})
        call("POST", f"/v1/subjects/{subject}/data", "support",
             {"purpose": "newsletter", "source": "signup", "fields": {"user.name": f"Person {i}", "user.contact.email": address}})

    made = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(person, range(count)))
    made = time.monotonic() - made
    campaign = call("POST", "/v1/campaigns", "marketing", {
        "purpose": "newsletter", "channel": "email", "subject": "News for {{user.name}}", "tracking": "aggregate",
        "text": "Hello {{user.name}}, here is our news: https://example.org/news\n" + "Our news in some detail. " * 60,
        "html": "<p>Hello {{user.name}}, here is <a href=\"https://example.org/news\">our news</a>.</p>"})
    base = box.count
    # PLEDGE_BENCH_PERF=FILE: perf records the server while it sends (not while people are made).
    profile = os.environ.get("PLEDGE_BENCH_PERF")
    recorder = subprocess.Popen(["perf", "record", "-g", "-p", str(server.pid), "-o", profile], stderr=subprocess.DEVNULL) if profile else None
    if recorder:
        time.sleep(0.5)
    server_cpu, relay_cpu = cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_SELF)
    start = time.monotonic()
    call("POST", f"/v1/campaigns/{campaign['id']}/send", "marketing")
    end = wait(base + count)
    server_cpu = cpu_seconds(server.pid) - server_cpu
    after = resource.getrusage(resource.RUSAGE_SELF)
    relay_cpu = after.ru_utime + after.ru_stime - relay_cpu.ru_utime - relay_cpu.ru_stime
    if recorder:
        recorder.send_signal(signal.SIGINT)
        recorder.wait()
    sent = box.count - base
    rate = sent / (end - start)
    signature = "RSA-2048" if dkim_type == "rsa" else "Ed25519"
    print(f"campaign send bench: {count} people (made through the API in {made:.1f} s, not timed), SQLite, release build")
    print(f"  relay ceiling (aiosmtpd, smtplib from another process, {connections} connections): {ceiling:8.0f} messages/s")
    print(f"  Pledge: decided, rendered (text + HTML, aggregate tags), DKIM-signed ({signature}), delivered: {sent} in {end - start:.2f} s = {rate:8.0f} messages/s"
          f"  ({box.size} bytes each)")
    # Where the machine's time went: what Pledge would do with cores of its own, beside what the relay took.
    print(f"  CPU while sending: Pledge {server_cpu:.2f} s = {server_cpu / sent * 1000:.3f} ms a message"
          f" ({sent / server_cpu:.0f} messages per core-second); relay {relay_cpu:.2f} s = {relay_cpu / sent * 1000:.3f} ms a message;"
          f" {os.cpu_count()} cores x {end - start:.2f} s = {os.cpu_count() * (end - start):.2f} core-seconds")
finally:
    server.terminate()
    server.wait(timeout=30)
    relay.stop()
