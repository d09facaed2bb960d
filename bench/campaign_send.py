#!/usr/bin/env python3
"""Campaign send rate (issue 28, target: 2,000 messages a second rendered, DKIM-signed and delivered to
a local relay), printed beside each relay's own ceiling measured in the same run, so the figure is
Pledge's and not the relay's. Printed, never asserted.

usage: bench/campaign_send.py PLEDGE_BINARY [MESSAGES] [rsa|ed25519] [RELAYS]   (needs aiosmtpd; a release build:
       swift build -c release --product pledge && bench/campaign_send.py .build/release/pledge 5000 ed25519)
       RELAYS: a comma-separated list of aiosmtpd and smtp-sink (default: both, in that order).
       PLEDGE_BENCH_DATABASE=postgres://… keeps the store on PostgreSQL (a new schema each run, dropped at the end) instead of SQLite.
       PLEDGE_BENCH_PERF=perf.data records the server with `perf record -g` while it sends (perf.data.RELAY.N, N counting the sends).

Two relays, because on this project's 2-core machine the relay shares Pledge's cores:
- aiosmtpd (the tests' relay) in this process, counting messages and discarding them. Its ceiling: a
  second process sends the same number of messages of the same size with smtplib, as many connections
  in parallel as Pledge opens (SMTPClient.connections), several messages per connection, as Pledge does.
  It is single-threaded Python and costs about as much CPU a message as Pledge does, so Pledge's figure
  through it is bounded by the CPU the relay leaves.
- Postfix's smtp-sink, the SMTP sink Postfix ships for measuring mail senders (C, discards each message),
  with its companion smtp-source (C) as the ceiling: the same connections, messages and size. Taken from
  Debian's postfix package without installing or starting Postfix (`apt-get download`, `dpkg -x`) when it
  is not on this machine already.

A real `pledge serve` with a DKIM key and `--campaign-rate` far above the target sends one campaign to
MESSAGES consenting people (made through the API beforehand, not timed), once per relay (the server
started again on the same database, pointing at it), and the time from `POST /v1/campaigns/{id}/send`
to the last message at the relay is Pledge's rate.
"""
import atexit, itertools, json, os, re, resource, shutil, signal, socket, subprocess, sys, tempfile, threading, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

pledge = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
dkim_type = sys.argv[3] if len(sys.argv) > 3 else "rsa"
relay_names = (sys.argv[4] if len(sys.argv) > 4 else "aiosmtpd,smtp-sink").split(",")
root = Path(__file__).resolve().parent.parent
work = Path(tempfile.mkdtemp(prefix="pledge-send-bench-"))
connections = 8  # SMTPClient.connections
sender, size = "news@northwind.example", 70 * 76  # the ceilings' message body: 70 lines of 74 characters and CRLF


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """User and system CPU time of process `pid` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Aiosmtpd:
    """aiosmtpd in this process; its CPU is this process's."""
    name = "aiosmtpd"

    def __init__(self):
        from aiosmtpd.controller import Controller

        class Counter:
            def __init__(self):
                self.count, self.size, self.lock = 0, 0, threading.Lock()

            async def handle_DATA(self, server, session, envelope):
                with self.lock:
                    self.count += 1
                    self.size = len(envelope.content)
                return "250 OK"

        self.box, self.port = Counter(), free_port()
        self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def delivered(self):
        return self.box.count

    def last_size(self):
        return self.box.size

    def cpu(self):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def ceiling_command(self, messages):
        """smtplib from another interpreter, so it does not share the relay's lock; a new connection every 100 messages."""
        blaster = f"""
import smtplib, threading
body = ("From: {sender}\\r\\nTo: x@example.com\\r\\nSubject: ceiling\\r\\n\\r\\n" + ("x" * 74 + "\\r\\n") * 70).encode()
def run(n):
    client = smtplib.SMTP("127.0.0.1", {self.port})
    for i in range(n):
        if i and i % 100 == 0:
            client.quit(); client = smtplib.SMTP("127.0.0.1", {self.port})
        client.sendmail("{sender}", ["x@example.com"], body)
    client.quit()
threads = [threading.Thread(target=run, args=({messages // connections},)) for _ in range({connections})]
[t.start() for t in threads]; [t.join() for t in threads]
"""
        return [sys.executable, "-c", blaster], "smtplib from another process"

    def stop(self):
        self.controller.stop()


class SmtpSink:
    """Postfix's smtp-sink in its own process, counting messages on its standard output (-c)."""
    name = "smtp-sink"

    def __init__(self):
        self.sink, self.source, self.environment = self.tools()
        self.port, self.counters = free_port(), work / "smtp-sink.out"
        as_root = ["-u", "nobody"] if os.geteuid() == 0 else []
        self.process = subprocess.Popen([self.sink, "-c", *as_root, f"127.0.0.1:{self.port}", "256"], stdout=open(self.counters, "w"),
                                        stderr=subprocess.STDOUT, env=self.environment)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)

    @staticmethod
    def tools():
        """smtp-sink and smtp-source, from this machine or from Debian's postfix package unpacked (not installed)."""
        found = [shutil.which(tool) or f"/usr/sbin/{tool}" for tool in ("smtp-sink", "smtp-source")]
        if all(os.access(tool, os.X_OK) for tool in found):
            return *found, None
        unpacked = Path.home() / ".cache" / "pledge-bench" / "postfix"
        if not (unpacked / "usr/sbin/smtp-sink").exists():
            download = Path(tempfile.mkdtemp(prefix="pledge-postfix-"))
            subprocess.run(["apt-get", "download", "postfix"], cwd=download, check=True, capture_output=True)
            package = next(download.glob("postfix_*.deb"))
            unpacked.mkdir(parents=True, exist_ok=True)
            subprocess.run(["dpkg", "-x", str(package), str(unpacked)], check=True)
        environment = dict(os.environ, LD_LIBRARY_PATH=str(unpacked / "usr/lib/postfix"))
        return str(unpacked / "usr/sbin/smtp-sink"), str(unpacked / "usr/sbin/smtp-source"), environment

    def delivered(self):
        # -c rewrites one line with a carriage return at every "." received: the last "mesg=N" is the count.
        with open(self.counters, "rb") as counters:
            counters.seek(max(0, os.path.getsize(self.counters) - 200))
            found = re.findall(rb"mesg=(\d+)", counters.read())
        return int(found[-1]) if found else 0

    def last_size(self):
        return None

    def cpu(self):
        return cpu_seconds(self.process.pid)

    def ceiling_command(self, messages):
        """smtp-source: `connections` sessions side by side, each sending its messages over one connection (-d)."""
        return ([self.source, "-d", "-s", str(connections), "-m", str(messages), "-l", str(size), "-f", sender, "-t", "x@example.com",
                 f"127.0.0.1:{self.port}"], "smtp-source")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def wait(relay, target, timeout=600):
    start = time.monotonic()
    while relay.delivered() < target and time.monotonic() - start < timeout:
        time.sleep(0.01)
    return time.monotonic()


def ceiling(relay):
    """Messages a second the relay takes from a sender that is not Pledge, measured now."""
    messages = count // connections * connections
    command, label = relay.ceiling_command(messages)
    base, start = relay.delivered(), time.monotonic()
    subprocess.run(command, check=True, env=getattr(relay, "environment", None), stdout=subprocess.DEVNULL)
    end = wait(relay, base + messages)
    return (relay.delivered() - base) / (end - start), label


key_file, dkim_key = work / "master.key", work / "dkim.key"
# PLEDGE_BENCH_DATABASE=postgres://…: the store on PostgreSQL, in a schema of its own (dropped at the end), instead of SQLite.
postgres = os.environ.get("PLEDGE_BENCH_DATABASE")
schema = f"pledge_bench_{os.getpid()}_{int(time.time())}"
database = f"{postgres}{'&' if '?' in postgres else '?'}schema={schema}" if postgres else work / "bench.sqlite"
def drop_schema():
    """The PostgreSQL schema this run made, dropped, so that nothing of it is left in a database others use (CI's restore test)."""
    if postgres:
        subprocess.run(["psql", postgres, "-qc", f"SET client_min_messages TO warning; DROP SCHEMA IF EXISTS {schema} CASCADE"], check=False)


atexit.register(drop_schema)

subprocess.run([pledge, "vault", "new-key"], stdout=open(key_file, "w"), check=True)
subprocess.run([pledge, "smtp", "dkim-key", "--out", str(dkim_key), "--type", dkim_type, "--selector", "news", "--domain", "northwind.example"],
               capture_output=True, check=True)
common = ["--database", str(database), "--master-key-file", str(key_file)]
keys = {role: subprocess.run([pledge, "keys", "create", "--name", f"{role}-key", "--role", role, *common], capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1] for role in ["support", "marketing"]}
port = free_port()
url = f"http://127.0.0.1:{port}"


def serve(relay):
    """`pledge serve` on the bench's database, sending through `relay`, once it is ready."""
    server = subprocess.Popen([pledge, "serve", "--declaration", str(root / "examples" / "compliant.yaml"), *common,
                               "--smtp-url", f"smtp://127.0.0.1:{relay.port}", "--smtp-from", sender,
                               "--dkim-key-file", str(dkim_key), "--dkim-selector", "news", "--campaign-rate", "20000",
                               "--public-url", url, "--port", str(port), "--log-level", "error"], stdout=open(work / "serve.log", "a"),
                              stderr=subprocess.STDOUT)
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/readyz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return server


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


def send(relay, server):
    """One campaign to everyone through `relay`: the rate, the bytes of a message, and the CPU Pledge and the relay spent."""
    campaign = call("POST", "/v1/campaigns", "marketing", {
        "purpose": "newsletter", "channel": "email", "subject": "News for {{user.name}}", "tracking": "aggregate",
        "text": "Hello {{user.name}}, here is our news: https://example.org/news\n" + "Our news in some detail. " * 60,
        "html": "<p>Hello {{user.name}}, here is <a href=\"https://example.org/news\">our news</a>.</p>"})
    base = relay.delivered()
    # PLEDGE_BENCH_PERF=FILE: perf records the server while it sends (not while people are made).
    profile = os.environ.get("PLEDGE_BENCH_PERF")
    recorder = subprocess.Popen(["perf", "record", "-g", "-p", str(server.pid), "-o", f"{profile}.{relay.name}.{next(runs)}"],
                                stderr=subprocess.DEVNULL) if profile else None
    if recorder:
        time.sleep(0.5)
    server_cpu, relay_cpu = cpu_seconds(server.pid), relay.cpu()
    start = time.monotonic()
    call("POST", f"/v1/campaigns/{campaign['id']}/send", "marketing")
    end = wait(relay, base + count)
    server_cpu, relay_cpu = cpu_seconds(server.pid) - server_cpu, relay.cpu() - relay_cpu
    if recorder:
        recorder.send_signal(signal.SIGINT)
        recorder.wait()
    sent = relay.delivered() - base
    return sent, end - start, server_cpu, relay_cpu


runs = itertools.count(1)

signature = "RSA-2048" if dkim_type == "rsa" else "Ed25519"
made = None
for name in relay_names:
    relay = {"aiosmtpd": Aiosmtpd, "smtp-sink": SmtpSink}[name]()
    server = None
    try:
        relay_ceiling, label = ceiling(relay)
        server = serve(relay)
        if made is None:
            made = time.monotonic()
            with ThreadPoolExecutor(16) as pool:
                list(pool.map(person, range(count)))
            made = time.monotonic() - made
            print(f"campaign send bench: {count} people (made through the API in {made:.1f} s, not timed), {'PostgreSQL' if postgres else 'SQLite'}, release build, "
                  f"{os.cpu_count()} cores shared by Pledge and the relay")
        sent, seconds, server_cpu, relay_cpu = send(relay, server)
        bytes_each = relay.last_size()
        print(f"  {relay.name}: ceiling ({label}, {connections} connections, {size}-byte bodies): {relay_ceiling:8.0f} messages/s")
        print(f"  {relay.name}: Pledge decided, rendered (text + HTML, aggregate tags), DKIM-signed ({signature}), delivered: "
              f"{sent} in {seconds:.2f} s = {sent / seconds:8.0f} messages/s" + (f"  ({bytes_each} bytes each)" if bytes_each else ""))
        # Where the machine's time went: what Pledge would do with cores of its own, beside what the relay took.
        print(f"  {relay.name}: CPU while sending: Pledge {server_cpu:.2f} s = {server_cpu / sent * 1000:.3f} ms a message"
              f" ({sent / server_cpu:.0f} messages per core-second); relay {relay_cpu:.2f} s = {relay_cpu / sent * 1000:.3f} ms a message;"
              f" {os.cpu_count()} cores x {seconds:.2f} s = {os.cpu_count() * seconds:.2f} core-seconds")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        relay.stop()
