#!/usr/bin/env python3
"""Campaigns end to end (issue 28 §2, §3): a real `pledge serve` sends an email campaign through a
real SMTP server (aiosmtpd) with a DKIM key made by `pledge smtp dkim-key`; the messages are read
as a mailbox provider would: DKIM verified by dkimpy, List-Unsubscribe and List-Unsubscribe-Post
present and signed, the sender's name and postal address in the body. One recipient unsubscribes by
POSTing to the header's URL exactly as a provider does (RFC 8058: no cookie, no key), and the next
campaign does not reach them; another unsubscribes from the link's page, and a third unticks the
newsletter in the preference centre her message links to, both in headless Chromium. Bad input is refused with nothing queued; a campaign sent again sends
nobody twice. A service message (an invoice) reaches an unsubscribed person, untracked; a campaign tracked individually gives a
pixel and personal links only to the person who consented to tracking, and the others links tagged with the campaign alone.
A relay that drops one connection in the middle of a batch costs only the message on it.

usage: campaign.py PLEDGE_BINARY
"""
import email, email.message, json, os, re, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request
from pathlib import Path

import dkim
from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from harness import check, finish, free_port  # noqa: E402

pledge = sys.argv[1]
work = Path(tempfile.mkdtemp(prefix="pledge-campaign-"))
database, key_file, dkim_key = work / "pledge.sqlite", work / "master.key", work / "dkim.key"
# compliant.yaml: its newsletter may be tracked per person, only with consent to email-tracking (C19).
declaration = Path(__file__).parent.parent / "examples" / "compliant.yaml"


class Mailbox:
    def __init__(self):
        self.messages = []
        # PIPELINING (RFC 2920) is offered from the last part on; envelopes whose DATA came in the same write as their RCPT are counted.
        self.pipelining, self.pipelined = False, 0
        # What arrived after a DATA the relay accepted though it had refused the recipient (a lenient relay, RFC 2920 §3.1).
        self.after_refusal = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:-1] + ["250-PIPELINING", responses[-1]] if self.pipelining else responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.pipelining and b"DATA" in bytes(server._reader._buffer):
            self.pipelined += 1
        # One address the relay refuses: the batch's other messages must still go on the same connection.
        if address.startswith("refused@"):
            return "550 5.1.1 No such user"
        # A relay that refuses this recipient yet answers the DATA after it with 354: the client must send only a dot.
        if address.startswith("lenient@"):
            envelope.rcpt_tos.append(address)
            return "550 5.1.1 No such user"
        # One address at which the relay drops the connection: the batch's other messages must go on the others.
        if address.startswith("dropped@"):
            server.transport.close()
            return "421 4.4.2 Closing connection"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # One message the relay refuses once it has its data: it fails alone too.
        if any(address.startswith("spam@") for address in envelope.rcpt_tos):
            return "554 5.7.1 Message refused"
        if any(address.startswith("lenient@") for address in envelope.rcpt_tos):
            self.after_refusal.append(envelope.content)
            return "554 5.5.1 No valid recipients"
        self.messages.append(envelope.content)
        return "250 OK"


box, smtp_port = Mailbox(), free_port()
relay = Controller(box, hostname="127.0.0.1", port=smtp_port)
relay.start()
subprocess.run([pledge, "vault", "new-key"], stdout=open(key_file, "w"), check=True)
made = subprocess.run([pledge, "smtp", "dkim-key", "--out", str(dkim_key), "--selector", "news", "--domain", "northwind.example"],
                      capture_output=True, text=True, check=True)
record = made.stdout.strip().split(" TXT ", 1)[1].strip('"').encode()
common = ["--database", str(database), "--master-key-file", str(key_file)]


def key(role):
    return subprocess.run([pledge, "keys", "create", "--name", f"{role}-key", "--role", role, *common],
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]


support, marketing = key("support"), key("marketing")
port = free_port()
url = f"http://127.0.0.1:{port}"
# The public URL is this server's own, for the links in the messages.
server = subprocess.Popen([pledge, "serve", "--declaration", str(declaration), *common, "--smtp-url", f"smtp://127.0.0.1:{smtp_port}",
                           "--smtp-from", "news@northwind.example", "--dkim-key-file", str(dkim_key), "--dkim-selector", "news",
                           "--public-url", url, "--port", str(port), "--log-level", "warning"],
                          stdout=open(work / "serve.log", "w"), stderr=subprocess.STDOUT)
for _ in range(120):
    try:
        urllib.request.urlopen(url + "/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("FAIL: pledge serve did not start: " + (work / "serve.log").read_text())


def call(method, path, token, body=None):
    request = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def person(name, address, consent):
    _, subject = call("POST", "/v1/subjects", support, {"identifiers": {"email": address}, "categories": ["customer"]})
    if consent:
        call("POST", f"/v1/subjects/{subject['id']}/consents", support,
             {"purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Send me the newsletter"})
        status, _ = call("POST", f"/v1/subjects/{subject['id']}/data", support,
                         {"purpose": "newsletter", "source": "signup", "fields": {"user.name": name, "user.contact.email": address}})
        check(f"{name}'s newsletter details collected", status == 201, status)
    return subject["id"]


def sent_newsletter(subject, addresses):
    """Creates and sends a newsletter campaign with `subject`; the To of each message it delivered by the time all of
    `addresses` had one (10 s at most), and the campaign's id."""
    _, draft = call("POST", "/v1/campaigns", marketing, dict(newsletter, subject=subject))
    before = len(box.messages)
    call("POST", f"/v1/campaigns/{draft['id']}/send", marketing)
    delivered = []
    for _ in range(100):
        delivered = [email.message_from_bytes(data)["To"] for data in box.messages[before:]]
        if set(addresses) <= set(delivered):
            break
        time.sleep(0.1)
    return delivered, draft["id"]


def progressed(campaign, sent=None):
    """The campaign as the API shows it once none of its messages is queued, or once `sent` are recorded sent when given
    (5 s at most): a batch is recorded sent after its last message, a little after the relay has the first."""
    for _ in range(50):
        _, got = call("GET", f"/v1/campaigns/{campaign}", marketing)
        if got["progress"].get("queued", 0) == 0 if sent is None else got["progress"].get("sent", 0) >= sent:
            break
        time.sleep(0.1)
    return got


def wait_for(count):
    for _ in range(100):
        if len(box.messages) >= count:
            return
        time.sleep(0.1)


def dns(name, timeout=5):
    return record if name == b"news._domainkey.northwind.example." else None


try:
    ada, bob = person("Ada", "ada@example.com", True), person("Bob", "bob@example.com", True)
    person("Cy", "cy@example.com", False)
    newsletter = {"purpose": "newsletter", "channel": "email", "subject": "News for {{user.name}}", "text": "Hello {{user.name}}, here is our news."}

    status, body = call("POST", "/v1/campaigns", marketing, dict(newsletter, text="Your password is {{user.credentials.password}}"))
    check("a template naming a field the purpose does not cover: 422 campaign.template-undeclared-field", status == 422
          and body.get("error", {}).get("code") == "campaign.template-undeclared-field", body)
    status, draft = call("POST", "/v1/campaigns", marketing, dict(newsletter, categories=["enquirer"]))
    status, body = call("POST", f"/v1/campaigns/{draft['id']}/send", marketing)
    check("an audience that resolves to nobody: 422 campaign.audience-empty, nothing queued", status == 422
          and body.get("error", {}).get("code") == "campaign.audience-empty", body)

    status, first = call("POST", "/v1/campaigns", marketing, newsletter)
    status, sending = call("POST", f"/v1/campaigns/{first['id']}/send", marketing)
    check("the campaign is sending: 2 queued, Cy excluded for no consent", status == 202 and sending["progress"].get("queued", 0)
          + sending["progress"].get("sent", 0) == 2 and {e["code"]: e["count"] for e in sending["exclusions"]} == {"no_consent": 1}, sending)
    wait_for(2)
    messages = [email.message_from_bytes(data) for data in box.messages]
    check("the relay received two messages, to Ada and Bob", sorted(m["To"] for m in messages) == ["ada@example.com", "bob@example.com"],
          [m["To"] for m in messages])
    for data, message in zip(box.messages, messages):
        signature = re.sub(r"\s", "", message.get("DKIM-Signature", ""))
        signed = signature.split("h=", 1)[-1].split(";", 1)[0].split(":")
        check(f"to {message['To']}: DKIM verifies (dkimpy) and h= covers both List-Unsubscribe headers",
              dkim.verify(data, dnsfunc=dns) and "list-unsubscribe" in signed and "list-unsubscribe-post" in signed, signature)
        text = message.get_payload(decode=True).decode()
        name = "Ada" if message["To"].startswith("ada") else "Bob"
        check(f"to {message['To']}: rendered for them, with the sender's name and postal address and the unsubscribe link",
              message["Subject"] == f"News for {name}" and f"Hello {name}" in text and "Northwind Analytics Ltd, 4 Quay Street, Bristol BS1 4DJ" in text
              and "/unsubscribe/" in text and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", text)

    to_ada = next(m for m in messages if m["To"] == "ada@example.com")
    addresses = re.findall(r"<([^>]+)>", to_ada["List-Unsubscribe"])
    check("List-Unsubscribe names a mailto: address and the HTTPS URL (RFC 2369)", len(addresses) == 2
          and addresses[0].startswith("mailto:") and addresses[1].startswith("http://"), to_ada["List-Unsubscribe"])
    link = addresses[-1]
    scanner = urllib.request.urlopen(link, timeout=10)
    check("a link scanner's GET of the header's URL shows a page and unsubscribes nobody", scanner.status == 200)
    provider = urllib.request.Request(link, method="POST", data=b"List-Unsubscribe=One-Click",
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(provider, timeout=10) as response:
        check("the mailbox provider's one-click POST (RFC 8058), no cookie and no key: 200", response.status == 200)

    # Bob unsubscribes in a real browser: the link's page, then its button (headless Chromium).
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    def waiting(driver):
        return WebDriverWait(driver, 15, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException])
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        to_bob = next(m for m in messages if m["To"] == "bob@example.com")
        driver.get(re.search(r"(http://\S+/unsubscribe/\S+)", to_bob.get_payload(decode=True).decode()).group(1))
        _, looked = call("POST", "/v1/suppressions/lookup", marketing, {"email": "bob@example.com"})
        check("browser: the page from the message's link shows an Unsubscribe button, and opening it changed nothing",
              driver.find_element(By.ID, "unsubscribe").text == "Unsubscribe" and looked.get("suppressed") is False, looked)
        driver.find_element(By.ID, "unsubscribe").click()
        # The click returns before the next page has loaded: wait for it, then ask.
        answered = waiting(driver).until(lambda d: "You are unsubscribed" in d.find_element(By.TAG_NAME, "h1").text)
        _, looked = call("POST", "/v1/suppressions/lookup", marketing, {"email": "bob@example.com"})
        check("browser: pressing it says so, and Bob's address is suppressed", answered and looked.get("reason") == "unsubscribed", looked)
    finally:
        driver.quit()
    call("POST", "/v1/bounces", support, {"email": "bob@example.com", "kind": "soft"})

    status, again = call("POST", f"/v1/campaigns/{first['id']}/send", marketing)
    check("the same campaign sent again: 409, nobody gets it twice", status == 409 and len(box.messages) == 2, again)
    person("Dee", "dee@example.com", True)
    status, second = call("POST", "/v1/campaigns", marketing, dict(newsletter, subject="More news for {{user.name}}"))
    status, sending = call("POST", f"/v1/campaigns/{second['id']}/send", marketing)
    wait_for(3)
    time.sleep(1.5)
    latest = [email.message_from_bytes(data)["To"] for data in box.messages[2:]]
    check("the next campaign reaches Dee only: Ada's and Bob's unsubscribes are in force for the very next send",
          latest == ["dee@example.com"] and {e["code"]: e["count"] for e in sending["exclusions"]} == {"no_consent": 1, "suppressed": 2},
          (latest, sending))

    # Dee changes her preferences from the link in her message, in the browser: the newsletter unticked.
    to_dee = email.message_from_bytes(box.messages[-1])
    preferences = re.search(r"(http://\S+/preferences/\S+)", to_dee.get_payload(decode=True).decode()).group(1)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(preferences)
        box_ = driver.find_element(By.CSS_SELECTOR, "input[name=consent][value=newsletter]")
        check("browser: the preference link shows Dee's newsletter consent, ticked", box_.is_selected())
        box_.click()
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        saved = waiting(driver).until(lambda d: d.find_elements(By.ID, "saved"))[0].text
        _, preview = call("POST", "/v1/campaigns/preview", marketing, {"purpose": "newsletter", "channel": "email"})
        codes = {e["code"]: e["count"] for e in preview["exclusions"]}
        check("browser: saved, and the next campaign would not reach her (her consent withdrawn in the ledger)",
              "Saved" in saved and preview["recipients"] == 0 and codes.get("consent_withdrawn") == 1, (saved, preview))
    finally:
        driver.quit()

    # A service message (C16; OEX-37, CLQ-18): Ada unsubscribed from marketing, and still gets her invoice, untracked, HTML beside text.
    status, _ = call("POST", f"/v1/subjects/{ada}/data", support,
                     {"purpose": "billing", "source": "signup", "fields": {"user.name": "Ada", "user.account.contact.email": "ada@example.com"}})
    check("Ada's billing details collected", status == 201, status)
    invoice = {"purpose": "billing", "channel": "email", "categories": ["customer"], "subject": "Your invoice",
               "text": "Hello {{user.name}}, your invoice is at https://example.org/invoices", "html": "<p>Hello {{user.name}}, your <a href=\"https://example.org/invoices\">invoice</a></p>"}
    status, body = call("POST", "/v1/campaigns", marketing, dict(invoice, text="Get 20% off with your next invoice"))
    check("a service message that promotes: 422 campaign.service-promotional", status == 422
          and body.get("error", {}).get("code") == "campaign.service-promotional", body)
    status, draft = call("POST", "/v1/campaigns", marketing, invoice)
    before = len(box.messages)
    status, sending = call("POST", f"/v1/campaigns/{draft['id']}/send", marketing)
    wait_for(before + 1)
    time.sleep(1)
    sent = [email.message_from_bytes(data) for data in box.messages[before:]]
    to_ada = next((m for m in sent if m["To"] == "ada@example.com"), None)
    check("the invoice reaches Ada though she unsubscribed from marketing (OEX-37)", draft.get("kind") == "service" and to_ada is not None,
          (draft, [m["To"] for m in sent]))
    if to_ada is not None:
        parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in to_ada.walk() if not part.is_multipart()}
        check("the invoice is multipart text and HTML, DKIM verifies, and it has no unsubscribe header, no pixel, no tracked or tagged link (CLQ-18)",
              dkim.verify(box.messages[before + sent.index(to_ada)], dnsfunc=dns) and set(parts) == {"text/plain", "text/html"}
              and to_ada["List-Unsubscribe"] is None and "<img" not in parts["text/html"] and "/t/" not in "".join(parts.values())
              and "utm_" not in "".join(parts.values()) and "https://example.org/invoices" in parts["text/html"], parts)

    # Tracking tiers (C19; CLQ-19...CLQ-23): Eve consented to tracking, Fay did not; one campaign, two tiers.
    eve, fay = person("Eve", "eve@example.com", True), person("Fay", "fay@example.com", True)
    person("Gil", "refused@example.com", True)
    status, _ = call("POST", f"/v1/subjects/{eve}/consents", support,
                     {"purpose": "email-tracking", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Yes, you may see if I open it"})
    check("Eve's tracking consent recorded", status == 201, status)
    tracked = dict(newsletter, subject="Tracked news for {{user.name}}", text="Read https://example.org/news",
                   html="<p>Hi {{user.name}}, read <a href=\"https://example.org/news\">the news</a></p>", tracking="individual")
    status, draft = call("POST", "/v1/campaigns", marketing, tracked)
    before = len(box.messages)
    status, sending = call("POST", f"/v1/campaigns/{draft['id']}/send", marketing)
    wait_for(before + 2)
    time.sleep(1)
    sent = {m["To"]: m for m in (email.message_from_bytes(data) for data in box.messages[before:])}
    check("the tracked campaign reaches Eve and Fay", set(sent) == {"eve@example.com", "fay@example.com"}, list(sent))
    got = progressed(draft["id"])
    check("the one address the relay refused (550) failed alone; the others in its batch went on one connection",
          got["progress"].get("sent") == 2 and got["progress"].get("failed") == 1, got["progress"])
    html = lambda m: next(p.get_payload(decode=True).decode() for p in m.walk() if p.get_content_type() == "text/html")
    if "eve@example.com" in sent and "fay@example.com" in sent:
        eve_html, fay_html = html(sent["eve@example.com"]), html(sent["fay@example.com"])
        pixel = re.search(r'<img src="(http://[^"]+/o)"', eve_html)
        click = re.search(r'href="(http://[^"]+/t/[^"]+/c/\d+)"', eve_html)
        check("Eve (tracking consent): an open pixel and a personal click link (CLQ-21)", pixel is not None and click is not None, eve_html)
        check("Fay (no tracking consent): no pixel, no personal link, only the campaign's tag (CLQ-19, CLQ-20)",
              "<img" not in fay_html and "/t/" not in fay_html and f"utm_campaign={draft['id']}" in fay_html, fay_html)
        if pixel and click:
            with urllib.request.urlopen(pixel.group(1), timeout=10) as response:
                check("the pixel answers a GIF", response.headers["Content-Type"] == "image/gif")

            class Stay(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args, **kwargs):
                    return None
            try:
                urllib.request.build_opener(Stay).open(click.group(1), timeout=10)
                location = None
            except urllib.error.HTTPError as error:
                location = (error.code, error.headers["Location"])
            check("the click redirects to the campaign's own link", location == (302, "https://example.org/news"), location)
            status, got = call("GET", f"/v1/campaigns/{draft['id']}", marketing)
            check("results count Eve's open and click, among the one person tracked (CLQ-22)",
                  got.get("results") == {"trackedIndividually": 1, "opened": 1, "clicked": 1}, got.get("results"))
            # Eve withdraws tracking consent only: her opens are no longer recorded, and she stays on the newsletter.
            call("POST", f"/v1/subjects/{eve}/consents", support, {"purpose": "email-tracking", "action": "withdrawn", "mechanism": "opt_in_checkbox"})
            status, resend = call("POST", f"/v1/campaigns/{draft['id']}/resend", marketing, {"subject": "In case you missed it"})
            status, body = call("POST", f"/v1/campaigns/{resend['id']}/send", marketing)
            check("a resend to non-openers reaches nobody: Eve opened, Fay was never tracked (CLQ-23)", status == 422
                  and body.get("error", {}).get("code") == "campaign.audience-empty", body)
            _, preview = call("POST", "/v1/campaigns/preview", marketing, {"purpose": "newsletter", "channel": "email"})
            check("withdrawing tracking consent leaves Eve on the newsletter", preview["recipients"] == 3, preview)

    # Fay unsubscribes by email (RFC 2369 mailto:): her mail client writes to the address with the subject the header gives;
    # the organisation's mail system hands the message to Pledge as it came.
    if "fay@example.com" in sent:
        mailto = re.search(r"<mailto:([^>]+)>", sent["fay@example.com"]["List-Unsubscribe"]).group(1)
        address, query = mailto.split("?", 1)
        reply = email.message.EmailMessage()
        reply["From"], reply["To"] = "Fay <fay@example.com>", address
        reply["Subject"] = urllib.parse.unquote(urllib.parse.parse_qs(query, keep_blank_values=True)["subject"][0])
        reply.set_content("Please take me off your list.")
        request = urllib.request.Request(url + "/v1/unsubscribes/mail", method="POST", data=reply.as_bytes(),
                                         headers={"Authorization": f"Bearer {support}", "Content-Type": "message/rfc822"})
        with urllib.request.urlopen(request, timeout=10) as response:
            answered = json.loads(response.read())
        _, looked = call("POST", "/v1/suppressions/lookup", marketing, {"email": "fay@example.com"})
        _, preview = call("POST", "/v1/campaigns/preview", marketing, {"purpose": "newsletter", "channel": "email"})
        check("Fay's email to the mailto: address unsubscribes her at once (PECR reg 23): suppressed, and the next campaign skips her",
              answered.get("unsubscribed") is True and looked.get("reason") == "unsubscribed" and preview["recipients"] == 2, (answered, looked, preview))

    # The relay drops one connection in the middle of a batch (issue 28 §2): the message on it waits for another try
    # or fails; every other message of the batch goes at once, on the connections left.
    crowd = [f"crowd{i}@example.com" for i in range(19)]
    for i, address in enumerate(crowd):
        person(f"Crowd {i}", address, True)
        if i == 9:  # Hal's address in the middle of the batch, with others after it that a static share would give his connection.
            person("Hal", "dropped@example.com", True)
    delivered, campaign = sent_newsletter("News for the crowd", crowd)
    got = progressed(campaign, sent=len(crowd))
    check("a connection the relay drops fails only the message it carried; the batch's others all go at once on the other connections",
          set(crowd) <= set(delivered) and "dropped@example.com" not in delivered and got["progress"].get("sent", 0) >= len(crowd),
          (sorted(set(crowd) - set(delivered)), got["progress"]))

    # The relay offers PIPELINING (RFC 2920) from here on: MAIL, RCPT and DATA go in one write. A recipient refused at
    # RCPT (the DATA after it refused too) and a message refused after its data each fail alone; the others all go, once.
    box.pipelining = True
    wave = [f"wave{i}@example.com" for i in range(12)]
    for i, address in enumerate(wave):
        person(f"Wave {i}", address, True)
        if i == 4:
            person("Ian", "refused@wave.example.com", True)
        if i == 8:
            person("Jo", "spam@wave.example.com", True)
        if i == 10:
            person("Kim", "lenient@wave.example.com", True)
    delivered, campaign = sent_newsletter("News for the wave", wave)
    got = progressed(campaign)
    check("a relay offering PIPELINING gets each envelope in one write (RFC 2920); every message but the three it refused arrives, once",
          set(wave) <= set(delivered) and all(delivered.count(address) == 1 for address in wave) and box.pipelined >= len(wave)
          and not {"refused@wave.example.com", "spam@wave.example.com", "lenient@wave.example.com"} & set(delivered), (box.pipelined, sorted(set(wave) - set(delivered))))
    check("pipelined: the recipient refused at RCPT, the message refused after its data and the lenient relay's one failed; the rest were sent",
          got["progress"].get("failed", 0) >= 3 and got["progress"].get("sent", 0) >= len(wave), got["progress"])
    check("a DATA the relay accepted after refusing the recipient gets a single dot, not the message (RFC 2920 §3.1)",
          box.after_refusal == [b""], box.after_refusal)
finally:
    server.terminate()
    server.wait(timeout=30)
    relay.stop()
finish()
