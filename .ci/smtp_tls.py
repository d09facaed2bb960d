"""Mail to a real relay over TLS with a password (issue 5 §10; UK GDPR Art 32(1)(a)).

Starts aiosmtpd with a certificate made here by openssl, requiring STARTTLS and AUTH (and a
second one speaking TLS from the first byte, and a third plain one), and runs `pledge smtp test`
against them: the message arrives only over TLS, signed in, from a certificate Pledge was told
to trust; a wrong password, an untrusted certificate and a relay without STARTTLS each fail with
the reason and deliver nothing.

Usage: python smtp_tls.py PATH/TO/pledge
"""
import email
import email.utils
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import check, finish, free_port  # noqa: E402  (PASS/FAIL lines and free ports, as the browser tests)

PLEDGE = sys.argv[1]


class Mailbox:
    """Keeps each message with whether it came over TLS and who had signed in."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"to": envelope.rcpt_tos, "tls": server.transport.get_extra_info("ssl_object") is not None,
                              "login": session.auth_data.login if session.authenticated else None, "data": envelope.content})
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"mailer" and auth_data.password == b"right horse battery"
    # handled=False: aiosmtpd then answers 535 itself (with the default it sends nothing).
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


work = Path(tempfile.mkdtemp())
cert, key = work / "relay.pem", work / "relay.key"
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
               check=True, capture_output=True)
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)

starttls_box, implicit_box, plain_box = Mailbox(), Mailbox(), Mailbox()
starttls_port, implicit_port, plain_port = free_port(), free_port(), free_port()
relays = [
    Controller(starttls_box, hostname="127.0.0.1", port=starttls_port, tls_context=context, require_starttls=True,
               auth_required=True, auth_require_tls=True, authenticator=authenticator),
    Controller(implicit_box, hostname="127.0.0.1", port=implicit_port, ssl_context=context,
               auth_required=True, auth_require_tls=False, authenticator=authenticator),
    Controller(plain_box, hostname="127.0.0.1", port=plain_port),
]
for relay in relays:
    relay.start()


def pledge_smtp_test(url, password="right horse battery", trust=True, to="ada@example.com", extra=()):
    """Runs `pledge smtp test` with the password in the environment, as an operator would."""
    environment = dict(os.environ, PLEDGE_SMTP_PASSWORD=password)
    command = [PLEDGE, "smtp", "test", "--smtp-url", url, "--smtp-from", "privacy@northwind.example", "--to", to, *extra]
    if trust:
        command += ["--smtp-ca-file", str(cert)]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60)


try:
    run = pledge_smtp_test(f"smtp://mailer@localhost:{starttls_port}?tls=starttls")
    check("STARTTLS + AUTH: pledge smtp test exits 0 and says how it went", run.returncode == 0 and "STARTTLS, signed in as mailer" in run.stdout,
          run.stdout + run.stderr)
    got = starttls_box.messages
    check("STARTTLS + AUTH: the relay received one message, over TLS, from the signed-in user",
          len(got) == 1 and got[0]["tls"] and got[0]["login"] == b"mailer" and got[0]["to"] == ["ada@example.com"], str(got))
    date = email.message_from_bytes(got[0]["data"])["Date"] if got else None
    check("the Date header is RFC 5322 (day month year time zone)", date is not None and email.utils.parsedate_to_datetime(date) is not None
          and re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000", date) is not None, str(date))

    run = pledge_smtp_test(f"smtp://mailer@127.0.0.1:{starttls_port}?tls=starttls")
    check("STARTTLS to an IP address: the certificate is checked against the address", run.returncode == 0, run.stderr)

    run = pledge_smtp_test(f"smtp://mailer@localhost:{starttls_port}?tls=starttls", password="wrong")
    check("a wrong password: exit 1, the relay's refusal of AUTH named, nothing delivered",
          run.returncode == 1 and "AUTH" in run.stderr and len(starttls_box.messages) == 2, run.stderr)

    run = pledge_smtp_test(f"smtp://mailer@localhost:{starttls_port}?tls=starttls", trust=False)
    check("a certificate nobody told Pledge to trust: exit 1, nothing delivered (no fallback to plain)",
          run.returncode == 1 and len(starttls_box.messages) == 2, run.stderr)

    run = pledge_smtp_test(f"smtps://mailer@localhost:{implicit_port}")
    got = implicit_box.messages
    check("smtps:// (TLS from the first byte) + AUTH: delivered over TLS, signed in",
          run.returncode == 0 and len(got) == 1 and got[0]["tls"] and got[0]["login"] == b"mailer", run.stdout + run.stderr + str(got))

    run = pledge_smtp_test(f"smtp://localhost:{plain_port}?tls=starttls")
    check("a relay that does not offer STARTTLS when it was asked for: exit 1 saying so, nothing delivered",
          run.returncode == 1 and "does not offer STARTTLS" in run.stderr and not plain_box.messages, run.stderr)

    run = pledge_smtp_test(f"smtp://mailer@localhost:{plain_port}")
    check("a password over plain SMTP is refused before connecting (exit 64, a usage error)",
          run.returncode == 64 and "only over TLS" in run.stderr and not plain_box.messages, run.stderr)

    run = pledge_smtp_test(f"smtp://localhost:{plain_port}")
    check("a relay on this machine, plain, no password: delivered", run.returncode == 0 and len(plain_box.messages) == 1, run.stderr)

    # DKIM (issue 28 §3; RFC 6376, RFC 8463, RFC 8058 §4): keys made by `pledge smtp dkim-key`, a
    # marketing-shaped message through the real relay, verified by dkimpy against the printed record.
    import dkim
    for key_type in ("rsa", "ed25519"):
        key_file = work / f"dkim-{key_type}.key"
        made = subprocess.run([PLEDGE, "smtp", "dkim-key", "--out", str(key_file), "--type", key_type, "--selector", "s1",
                               "--domain", "northwind.example"], capture_output=True, text=True, timeout=60)
        record = made.stdout.strip().split(" TXT ", 1)[-1].strip('"')
        check(f"dkim-key ({key_type}): a 0600 key and its DNS record under s1._domainkey.northwind.example",
              made.returncode == 0 and made.stdout.startswith("s1._domainkey.northwind.example TXT") and f"k={key_type}" in record
              and oct(key_file.stat().st_mode & 0o777) == "0o600", made.stdout + made.stderr)
        before = len(plain_box.messages)
        run = pledge_smtp_test(f"smtp://localhost:{plain_port}", extra=[
            "--dkim-key-file", str(key_file), "--dkim-selector", "s1", "--unsubscribe-url", "https://privacy.northwind.example/unsubscribe/TOKEN"])
        data = plain_box.messages[-1]["data"] if len(plain_box.messages) > before else b""

        def dns(name, timeout=5):
            return record.encode() if name == b"s1._domainkey.northwind.example." else None
        verified = bool(data) and dkim.verify(data, dnsfunc=dns)
        signature = email.message_from_bytes(data).get("DKIM-Signature", "") if data else ""
        signed = re.sub(r"\s", "", signature).split("h=", 1)[-1].split(";", 1)[0].split(":")
        check(f"DKIM {key_type}: dkimpy verifies the signature, and h= covers List-Unsubscribe and List-Unsubscribe-Post",
              run.returncode == 0 and verified and "list-unsubscribe" in signed and "list-unsubscribe-post" in signed,
              run.stderr + signature)
        message = email.message_from_bytes(data) if data else {}
        check(f"DKIM {key_type}: the message carries List-Unsubscribe <https://...> and List-Unsubscribe-Post: List-Unsubscribe=One-Click",
              message.get("List-Unsubscribe") == "<https://privacy.northwind.example/unsubscribe/TOKEN>"
              and message.get("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click", str(message.items()) if data else "")
        tampered = data.replace(b"List-Unsubscribe=One-Click", b"List-Unsubscribe=Two-Clicks")
        check(f"DKIM {key_type}: a message changed in a signed header fails verification", bool(data) and not dkim.verify(tampered, dnsfunc=dns))

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        run = pledge_smtp_test(f"smtp://localhost:{silent.getsockname()[1]}", extra=["--smtp-timeout", "2"])
        check("a relay that accepts and never answers: given up after --smtp-timeout, exit 1 saying so",
              run.returncode == 1 and "did not finish within 2 s" in run.stderr, run.stderr)
finally:
    for relay in relays:
        relay.stop()

finish()
