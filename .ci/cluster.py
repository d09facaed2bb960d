"""Real `pledge serve` nodes on one PostgreSQL, for the CI scripts of issue 27 (nodes.py, jobs.py)."""
import json, os, re, signal, subprocess, sys, threading, time, urllib.request

DECLARATION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "compliant.yaml")


class Cluster:
    """Nodes of one binary on one database, sharing a master key; each keeps its own audit anchor and
    erasure ledger in `work`."""

    def __init__(self, pledge, database, work, extra=()):
        self.pledge, self.database, self.work, self.extra = pledge, database, work, list(extra)
        self.key_file = os.path.join(work, "master.key")
        subprocess.run([pledge, "vault", "new-key"], stdout=open(self.key_file, "w"), check=True)

    def fresh_database(self):
        # Public, and any test's own schema a run left behind (a test server that refused to start
        # never dropped its schema) or a benchmark's (bench/campaign_send.py stopped before it dropped
        # its own), so a restore lands in a database with nothing in it.
        subprocess.run(["psql", self.database, "-qc", "SET client_min_messages TO warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                        "DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pledge\\_test\\_%' OR nspname LIKE 'pledge\\_bench\\_%' "
                        "LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$"], check=True)

    def cli(self, *args):
        result = subprocess.run([self.pledge, *args, "--database", self.database, "--master-key-file", self.key_file], capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"FAIL: pledge {' '.join(args)} exited {result.returncode}: {result.stderr}")
        return result.stdout

    def sql(self, query):
        return subprocess.run(["psql", self.database, "-tAc", query], capture_output=True, text=True, check=True).stdout.strip()

    def anchor(self, port):
        return os.path.join(self.work, f"anchor-{port}")

    def ledger(self, port):
        return os.path.join(self.work, f"erasures-{port}")

    def log(self, port):
        return os.path.join(self.work, f"node-{port}.log")

    def start(self, port):
        log = open(self.log(port), "a")
        return subprocess.Popen([self.pledge, "serve", "--declaration", DECLARATION, "--database", self.database, "--master-key-file", self.key_file,
                                 "--audit-anchor", self.anchor(port), "--erasure-ledger", self.ledger(port),
                                 "--port", str(port), "--log-level", "error", *self.extra], stdout=log, stderr=log)

    def kill_and_restart(self, nodes, port, sink):
        """SIGKILLs the node on `port` and starts it again; True when mail was going out, that is when the
        relay took some in the 200 ms before the kill or while it died. Nodes send in bursts (a campaign
        at most `--campaign-rate` a second), so the kill waits up to 1.5 s for the relay to be taking mail
        and comes at once when it is: a kill at a random moment fell between bursts more often than not
        once a burst took less time."""
        before = len(sink.messages)
        time.sleep(0.2)
        waited = 0.0
        while len(sink.messages) == before and waited < 1.5:
            time.sleep(0.005)
            waited += 0.005
        nodes[port].send_signal(signal.SIGKILL)
        nodes[port].wait()
        sending = len(sink.messages) > before
        time.sleep(0.3)
        nodes[port] = self.start(port)
        self.ready(port, nodes[port])
        return sending

    def ready(self, port, process):
        for _ in range(300):
            if process.poll() is not None:
                sys.exit(f"FAIL: the node on port {port} exited ({process.returncode}): {open(self.log(port)).read()}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        sys.exit(f"FAIL: the node on port {port} did not become ready")


def call(port, method, path, token, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read() or b"{}")


class Sink:
    """An SMTP relay's handler (aiosmtpd) that keeps each message's recipients and Message-ID, in order."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        found = re.search(rb"^Message-ID: <([^@>]+)@", envelope.content, re.MULTILINE | re.IGNORECASE)
        with self.lock:
            for address in envelope.rcpt_tos:
                self.messages.append((address, found.group(1).decode() if found else ""))
        return "250 OK"

    @property
    def ids(self):
        return [message_id for _, message_id in self.messages]
