#!/usr/bin/env python3
"""Prints an unsubscribe token for SUBJECT, as Pledge signs them (UnsubscribeToken): base64url of
subject, campaign and day (big-endian days since 1970) with an HMAC-SHA256 under the key HKDF-SHA256
derives from the master key with info "pledge unsubscribe". For the benchmark only.

usage: unsubscribe_token.py MASTER_KEY_FILE SUBJECT_UUID
"""
import base64, hashlib, hmac, sys, time, uuid

master = base64.b64decode(open(sys.argv[1]).read().strip())
prk = hmac.new(bytes(32), master, hashlib.sha256).digest()  # RFC 5869 extract, no salt
key = hmac.new(prk, b"pledge unsubscribe\x01", hashlib.sha256).digest()  # expand, one block
payload = uuid.UUID(sys.argv[2]).bytes + uuid.uuid4().bytes + (int(time.time()) // 86400).to_bytes(4, "big")
token = payload + hmac.new(key, payload, hashlib.sha256).digest()
print(base64.urlsafe_b64encode(token).decode().rstrip("="))
