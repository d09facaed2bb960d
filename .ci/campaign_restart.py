#!/usr/bin/env python3
"""A campaign stopped, resumed and killed mid-send (issue 28 §2), with real `pledge serve` nodes on one
PostgreSQL and a real SMTP server (aiosmtpd). Thousands of consented customers get one newsletter
while two nodes share the sending; staff stop it through the API and nothing more goes out until they
resume it; one node after another is killed with SIGKILL and started again. Every person must get the
message, and get it twice only where a node died between the relay's 250 and recording it sent (SMTP
has no exactly-once): then with the same Message-ID, so a mailbox shows it once, and no more than one
batch per kill.

usage: campaign_restart.py PLEDGE_BINARY POSTGRES_URL [PEOPLE]
"""
import os, random, signal, sys, tempfile, threading, time
from collections import Counter

from aiosmtpd.controller import Controller

from cluster import Cluster, Sink, call

pledge, database = sys.argv[1], sys.argv[2]
people = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
work = tempfile.mkdtemp(prefix="pledge-campaign-restart-")
base = 24000 + os.getpid() % 300
ports, smtp_port = [base, base + 300], base + 600
# Each node sends at most `rate` a second, in batches of `rate`: a kill can leave at most one batch sent but unrecorded.
rate = 100


sink = Sink()
relay = Controller(sink, hostname="127.0.0.1", port=smtp_port)
relay.start()
# A short lease, so the batch a killed node held is taken by the other within the run.
cluster = Cluster(pledge, database, work, ["--smtp-url", f"smtp://127.0.0.1:{smtp_port}", "--smtp-from", "news@northwind.example",
                                           "--campaign-rate", str(rate), "--outbox-lease", "5", "--public-url", "https://privacy.northwind.example"])
cluster.fresh_database()
support = cluster.cli("keys", "create", "--name", "support-key", "--role", "support").strip().splitlines()[-1]
marketing = cluster.cli("keys", "create", "--name", "marketing-key", "--role", "marketing").strip().splitlines()[-1]
nodes = {port: cluster.start(port) for port in ports}


def expect(status, wanted, what, body):
    if status != wanted:
        sys.exit(f"FAIL: {what}: {status} {body}")


def customers(worker, workers):
    for number in range(worker, people, workers):
        port, address = ports[number % len(ports)], f"person-{number}@example.com"
        status, subject = call(port, "POST", "/v1/subjects", support, {"identifiers": {"email": address}, "categories": ["customer"]})
        expect(status, 201, "a customer", subject)
        status, body = call(port, "POST", f"/v1/subjects/{subject['id']}/consents", support,
                            {"purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Send me the newsletter"})
        expect(status, 201, "their consent", body)
        status, body = call(port, "POST", f"/v1/subjects/{subject['id']}/data", support,
                            {"purpose": "newsletter", "source": "signup", "fields": {"user.name": f"Person {number}", "user.contact.email": address}})
        expect(status, 201, "their details", body)


def queued():
    return int(cluster.sql("SELECT COUNT(*) FROM campaign_messages WHERE state = 'queued'"))


kills, killed_while_sending = [0], [0]
finished = threading.Event()


def kill_nodes():
    """SIGKILL a node and start it again, until the campaign has gone out."""
    while not finished.is_set() and kills[0] < 30:
        time.sleep(random.uniform(1.0, 2.0))
        if finished.is_set():
            break
        if cluster.kill_and_restart(nodes, random.choice(ports), sink):
            killed_while_sending[0] += 1
        kills[0] += 1


def on_some_node(method, path, body=None):
    """The call on whichever node is up (the other may be dead just now)."""
    for attempt in range(100):
        try:
            return call(ports[attempt % len(ports)], method, path, marketing, body)
        except OSError:
            time.sleep(0.1)
    sys.exit(f"FAIL: no node answered {method} {path}")


try:
    for port in ports:
        cluster.ready(port, nodes[port])
    started = time.monotonic()
    workers = [threading.Thread(target=customers, args=(number, 8)) for number in range(8)]
    for thread in workers: thread.start()
    for thread in workers: thread.join()
    print(f"{people} consented customers in {time.monotonic() - started:.0f} s")

    status, draft = call(ports[0], "POST", "/v1/campaigns", marketing,
                         {"purpose": "newsletter", "channel": "email", "subject": "News for {{user.name}}", "text": "Hello {{user.name}}."})
    expect(status, 201, "the draft", draft)
    campaign = draft["id"]
    status, sending = call(ports[0], "POST", f"/v1/campaigns/{campaign}/send", marketing)
    expect(status, 202, "sending", sending)
    started = time.monotonic()

    # Staff stop it once some have gone: after the batch in hand, nothing more until it is resumed.
    while len(sink.messages) < people // 5:
        time.sleep(0.05)
    status, stopped = call(ports[0], "POST", f"/v1/campaigns/{campaign}/stop", marketing)
    expect(status, 200, "the stop", stopped)
    time.sleep(2)  # a batch taken just before the stop may still be going
    at_stop = len(sink.messages)
    time.sleep(4)
    quiet = len(sink.messages) == at_stop
    left = queued()
    print(f"stopped after {at_stop} messages: {len(sink.messages) - at_stop} more in the next 4 s; {left} queued")
    status, resumed = on_some_node("POST", f"/v1/campaigns/{campaign}/resume")
    expect(status, 202, "the resume", resumed)

    killer = threading.Thread(target=kill_nodes)
    killer.start()
    deadline = time.monotonic() + 300
    while queued() and time.monotonic() < deadline:
        time.sleep(0.5)
    finished.set()
    killer.join()
    time.sleep(1)
    elapsed = time.monotonic() - started
finally:
    finished.set()
    for node in nodes.values():
        if node.poll() is None:
            node.send_signal(signal.SIGTERM)
            node.wait(timeout=30)
    relay.stop()

states = dict(line.split("|") for line in cluster.sql(
    f"SELECT state, COUNT(*) FROM campaign_messages WHERE campaign_id = '{campaign}' GROUP BY state").splitlines())
received = Counter(address for address, _ in sink.messages)
ids = {}
for address, message_id in sink.messages:
    ids.setdefault(address, set()).add(message_id)
expected = {f"person-{number}@example.com" for number in range(people)}
missing = expected - set(received)
strangers = set(received) - expected
again = sum(received.values()) - len(received)
new_ids = sum(1 for found in ids.values() if len(found) > 1)
print(f"{kills[0]} nodes killed with SIGKILL ({killed_while_sending[0]} while mail was going out); all sent in {elapsed:.0f} s; states {states}")
print(f"the relay received {len(sink.messages)} messages for {len(received)} people: {len(missing)} missing, {len(strangers)} unknown, "
      f"{again} sent again ({new_ids} of them with a new Message-ID)")
if not left or not quiet:
    sys.exit("FAIL: the stopped campaign went on sending, or had nothing left to stop")
if states != {"sent": str(people)}:
    sys.exit(f"FAIL: the campaign did not end with every message sent: {states}")
if missing or strangers:
    sys.exit("FAIL: a person did not get the message, or a stranger did")
if new_ids:
    sys.exit("FAIL: a message sent again had a new Message-ID")
if killed_while_sending[0] < 3:
    sys.exit("FAIL: too few nodes died while mail was going out to prove anything")
if again > kills[0] * rate:
    sys.exit("FAIL: more messages went twice than one batch per kill: two nodes sent the same message")
print("PASS")
