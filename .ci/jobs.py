#!/usr/bin/env python3
"""Jobs run once across nodes (issue 27 §3, §7), with real `pledge serve` processes on one PostgreSQL
and a real SMTP server (aiosmtpd): 10,000 privacy-centre requests through three nodes queue their
verification emails, while one node after another is killed with SIGKILL and started again, mid-send.
Every message must reach the relay, and a message twice only where a node died between the relay's
250 and recording it sent (SMTP has no exactly-once): then with the same Message-ID, so a mailbox
shows it once, and at most one per kill, as a node sends one message at a time.

usage: jobs.py PLEDGE_BINARY POSTGRES_URL [REQUESTS]
"""
import os, random, signal, sys, tempfile, threading, time, urllib.error, urllib.parse, urllib.request
from collections import Counter

from aiosmtpd.controller import Controller

from cluster import Cluster, Sink

pledge, database = sys.argv[1], sys.argv[2]
requests = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
work = tempfile.mkdtemp(prefix="pledge-jobs-")
base = 21000 + os.getpid() % 300
ports, smtp_port = [base, base + 300, base + 600], base + 900


sink = Sink()
relay = Controller(sink, hostname="127.0.0.1", port=smtp_port)
relay.start()
# A short lease, so the batch a killed node held is taken by another within the run.
cluster = Cluster(pledge, database, work, ["--smtp-url", f"smtp://127.0.0.1:{smtp_port}", "--trusted-proxy", "127.0.0.1", "--outbox-lease", "5"])
cluster.fresh_database()
nodes = {port: cluster.start(port) for port in ports}
lock, submitted, done = threading.Lock(), [0], threading.Event()


def submit(worker, workers):
    for number in range(worker, requests, workers):
        form = urllib.parse.urlencode({"kind": "access", "email": f"jobs-{number}@example.com"}).encode()
        client = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        for attempt in range(60):
            port = ports[(number + attempt) % len(ports)]
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/privacy-centre/requests", data=form, method="POST",
                                                 headers={"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": client})
                with urllib.request.urlopen(request, timeout=10) as response:
                    if response.status == 200:
                        break
            except urllib.error.HTTPError as error:
                sys.exit(f"FAIL: a node refused a request with {error.code}")
            except OSError:
                time.sleep(0.2)  # that node is down; the next attempt goes to another
        else:
            sys.exit("FAIL: a request found no node to take it")
        with lock:
            submitted[0] += 1


def pending():
    return int(cluster.sql("SELECT COUNT(*) FROM outbox WHERE sent_us IS NULL"))


kills, killed_while_sending = [0], [0]


def kill_nodes():
    """SIGKILL a node, start it again, until every request is in and the outbox has been drained once."""
    while not (done.is_set() and pending() == 0) and kills[0] < 40:
        time.sleep(random.uniform(1.0, 2.5))
        if cluster.kill_and_restart(nodes, random.choice(ports), sink):
            killed_while_sending[0] += 1
        kills[0] += 1


try:
    for port in ports:
        cluster.ready(port, nodes[port])
    started = time.monotonic()
    workers = [threading.Thread(target=submit, args=(number, 12)) for number in range(12)]
    killer = threading.Thread(target=kill_nodes)
    for thread in workers: thread.start()
    killer.start()
    for thread in workers: thread.join()
    done.set()
    print(f"{submitted[0]} privacy-centre requests taken by three nodes in {time.monotonic() - started:.0f} s")
    killer.join()
    deadline = time.monotonic() + 120
    while pending() and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(1)
    elapsed = time.monotonic() - started
finally:
    for node in nodes.values():
        if node.poll() is None:
            node.send_signal(signal.SIGTERM)
            node.wait(timeout=30)
    relay.stop()

queued = set(cluster.sql("SELECT id FROM outbox").split())
unsent = pending()
abandoned = int(cluster.sql("SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL"))
delivered = Counter(sink.ids)
missing = queued - set(delivered)
strangers = set(delivered) - queued
twice = {message: count for message, count in delivered.items() if count > 1}
print(f"{len(queued)} messages queued; {kills[0]} nodes killed with SIGKILL ({killed_while_sending[0]} while mail was going out); "
      f"all sent in {elapsed:.0f} s")
print(f"the relay received {len(sink.messages)}: {len(delivered)} distinct Message-IDs, {len(missing)} missing, {len(strangers)} unknown, "
      f"{sum(twice.values()) - len(twice)} sent again (each with its first Message-ID); {unsent} unsent, {abandoned} with an error")
if len(queued) < requests:
    sys.exit(f"FAIL: {requests} requests queued only {len(queued)} messages")
if missing or unsent or abandoned or strangers:
    sys.exit("FAIL: a message was lost, left unsent, given up, or unknown")
if killed_while_sending[0] < 3:
    sys.exit("FAIL: too few nodes died while mail was going out to prove anything")
if sum(twice.values()) - len(twice) > kills[0]:
    sys.exit("FAIL: more messages went twice than nodes died: two nodes sent the same message")
print("PASS")
